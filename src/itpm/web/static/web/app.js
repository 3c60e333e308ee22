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

// ---- the Gantt -------------------------------------------------------------------------------------

// Links drawn in the Gantt's SVG carry an address (for use without JavaScript) and an hx-get. htmx
// stops the browser from following HTML anchors only, so stop it here for SVG ones.
document.addEventListener("click", function (event) {
  const link = event.target instanceof Element ? event.target.closest("svg a[hx-get]") : null;
  if (link) {
    event.preventDefault();
  }
});

function closeGanttEditor() {
  const editor = document.getElementById("gantt-editor");
  if (editor && editor.firstElementChild) {
    editor.replaceChildren();
    const url = new URL(window.location.href);
    if (url.searchParams.has("edit")) {
      url.searchParams.delete("edit");
      history.replaceState(history.state, "", url);
    }
  }
}

document.addEventListener("click", function (event) {
  if (event.target instanceof Element && event.target.closest("[data-gantt-close]")) {
    event.preventDefault();
    closeGanttEditor();
  }
});

document.addEventListener("keydown", function (event) {
  if (event.key === "Escape" && document.getElementById("gantt-editor")) {
    closeGanttEditor();
  }
});

// Redrawing the chart after an edit must not throw the reader back to its top-left corner: keep the
// scroll position when the same zoom and page come back; otherwise bring today (or the start) into view.
let ganttBefore = null;

function ganttFrame() {
  return document.querySelector("#gantt .gantt-frame");
}

document.addEventListener("htmx:beforeSwap", function (event) {
  const frame = ganttFrame();
  const gantt = document.getElementById("gantt");
  if (frame && gantt && event.detail.target === gantt) {
    ganttBefore = { top: frame.scrollTop, left: frame.scrollLeft, view: gantt.dataset.view };
  }
});

function focusGantt(before) {
  const frame = ganttFrame();
  const gantt = document.getElementById("gantt");
  if (!frame || !gantt) {
    return;
  }
  if (before && before.view === gantt.dataset.view) {
    frame.scrollTop = before.top;
    frame.scrollLeft = before.left;
  } else {
    frame.scrollLeft = Number(frame.dataset.focusX || 0);
  }
}

document.addEventListener("htmx:afterSettle", function (event) {
  if (event.detail.target && event.detail.target.id === "gantt") {
    focusGantt(ganttBefore);
    ganttBefore = null;
  } else if (event.detail.target && event.detail.target.id === "gantt-editor") {
    const first = event.detail.target.querySelector("input:not([type=hidden]), select");
    if (first) {
      first.focus({ preventScroll: true });
    }
  }
});

document.addEventListener("DOMContentLoaded", function () {
  focusGantt(null);
});
