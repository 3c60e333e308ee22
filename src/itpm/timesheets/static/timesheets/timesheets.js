// The timesheet grid: live totals while typing and arrow-key movement between cells.
// Loaded as a file (the CSP forbids inline scripts); events are delegated, so grids swapped in
// by HTMX after a save work without re-binding.
"use strict";

(function () {
  // "7.5", "7,5" and "7:30" are all seven and a half hours, as on the server.
  function hours(text) {
    const value = text.trim().replace(",", ".");
    if (value === "") { return 0; }
    const clock = /^(\d+):([0-5]\d)$/.exec(value);
    if (clock) { return Number(clock[1]) + Number(clock[2]) / 60; }
    const number = Number(value);
    return Number.isFinite(number) ? number : 0;
  }

  function show(total) {
    return String(Math.round(total * 100) / 100);
  }

  function recompute(form) {
    const rows = Array.from(form.querySelectorAll("tr.ts-row"));
    const days = [0, 0, 0, 0, 0, 0, 0];
    rows.forEach(function (row) {
      let total = 0;
      row.querySelectorAll("input.ts-input").forEach(function (input, index) {
        const value = hours(input.value);
        total += value;
        days[index] += value;
      });
      const cell = row.querySelector("[data-row-total]");
      if (cell) { cell.textContent = show(total); }
    });
    days.forEach(function (total, index) {
      const cell = form.querySelector('[data-day-total="' + index + '"]');
      if (cell && !cell.classList.contains("has-error")) { cell.textContent = show(total); }
    });
    const week = form.querySelector("[data-week-total]");
    if (week) { week.textContent = show(days.reduce(function (a, b) { return a + b; }, 0)); }
  }

  document.addEventListener("input", function (event) {
    const form = event.target instanceof Element ? event.target.closest("form[data-timesheet]") : null;
    if (form) { recompute(form); }
  });

  // After a refused save the grid comes back with the typed values: total those, not the stored ones.
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("form[data-timesheet]").forEach(recompute);
  });

  document.addEventListener("focusin", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.classList.contains("ts-input")) {
      event.target.select(); // typing replaces the cell, as in a spreadsheet
    }
  });

  function cellAt(form, row, column) {
    const rows = Array.from(form.querySelectorAll("tr.ts-row"));
    if (row < 0 || row >= rows.length) { return null; }
    return rows[row].querySelectorAll("input.ts-input")[column] || null;
  }

  function move(input, rowStep, columnStep) {
    const form = input.closest("form[data-timesheet]");
    const row = input.closest("tr.ts-row");
    const rows = Array.from(form.querySelectorAll("tr.ts-row"));
    const inputs = Array.from(row.querySelectorAll("input.ts-input"));
    let r = rows.indexOf(row) + rowStep;
    let c = inputs.indexOf(input) + columnStep;
    let target = cellAt(form, r, c);
    while (target && target.disabled) { // skip locked rows
      r += rowStep || 0; c += columnStep || 0;
      if (!rowStep && !columnStep) { break; }
      target = cellAt(form, r, c);
    }
    if (target) { target.focus(); return true; }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("ts-input")) { return; }
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    const steps = {
      ArrowUp: [-1, 0, true],
      ArrowDown: [1, 0, true],
      ArrowLeft: [0, -1, atStart || input.selectionEnd - input.selectionStart === input.value.length],
      ArrowRight: [0, 1, atEnd],
    };
    const step = steps[event.key];
    if (step && step[2] && move(input, step[0], step[1])) { event.preventDefault(); }
  });
})();
