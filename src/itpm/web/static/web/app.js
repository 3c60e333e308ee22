// itpm page behaviour that HTML attributes cannot express. Loaded as a file: the CSP forbids inline scripts.
"use strict";

// Leave empty filter fields out of HTMX GET requests, so the address pushed to the history stays
// short and shareable ("?q=erp", not "?q=erp&status=&rag=&methodology=").
document.addEventListener("htmx:configRequest", function (event) {
  if (event.detail.verb !== "get") {
    return;
  }
  const data = event.detail.formData;
  for (const name of Array.from(new Set(data.keys()))) {
    if (data.getAll(name).every(function (value) { return value === ""; })) {
      data.delete(name);
    }
  }
});
