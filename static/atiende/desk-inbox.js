// The inbox's keyboard (j/k, Enter, x, /, ?), the selection for bulk changes, and what
// survives htmx replacing the list every few seconds: the checked rows and the row under
// the keyboard. Without this script the list, filters and bulk form still work.
(function () {
  "use strict";

  var selected = new Set(); // ticket numbers, across refreshes of the list
  var current = null; // number of the row the keyboard is on

  function list() { return document.getElementById("inbox-list"); }
  function rows() {
    var element = list();
    return element ? Array.prototype.slice.call(element.querySelectorAll(".inbox-row")) : [];
  }
  function boxes() {
    var element = list();
    return element ? Array.prototype.slice.call(element.querySelectorAll("input[name=ticket]")) : [];
  }

  function isTyping(element) {
    if (!element || element === document.body) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    return !/^(checkbox|radio|button|submit|reset)$/.test(element.type);
  }

  function markCurrent(row, focus) {
    rows().forEach(function (each) { each.classList.toggle("is-current", each === row); });
    current = row ? row.dataset.number : null;
    if (row && focus) {
      var link = row.querySelector(".open-ticket");
      if (link) link.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.findIndex(function (row) { return row.dataset.number === current; });
    var next = index === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    markCurrent(all[next], true);
  }

  function currentRow() {
    return rows().find(function (row) { return row.dataset.number === current; }) || null;
  }

  function showCount() {
    var form = document.getElementById("bulk-form");
    if (!form) return;
    var label = form.querySelector(".selected-count");
    var count = selected.size;
    var text = count === 0 ? form.dataset.none : count === 1 ? form.dataset.one : form.dataset.many.replace("{count}", count);
    if (label && text) label.textContent = text;
    var submit = form.querySelector("button[type=submit]");
    if (submit) submit.disabled = count === 0;
  }

  // After a refresh, rows that left the list leave the selection too: a change is only
  // ever applied to tickets the agent can see checked.
  function syncSelection() {
    var onPage = new Set();
    boxes().forEach(function (box) {
      onPage.add(box.value);
      box.checked = selected.has(box.value);
      box.closest("tr").classList.toggle("is-selected", box.checked);
    });
    selected.forEach(function (number) { if (!onPage.has(number)) selected.delete(number); });
    var all = list() && list().querySelector(".pick-all");
    if (all) {
      var checked = boxes().filter(function (box) { return box.checked; }).length;
      all.checked = checked > 0 && checked === boxes().length;
      all.indeterminate = checked > 0 && checked < boxes().length;
    }
    showCount();
  }

  function toggle(box, on) {
    if (on) selected.add(box.value); else selected.delete(box.value);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("#inbox-list input[name=ticket]")) {
      toggle(target, target.checked);
      syncSelection();
    } else if (target.matches("#inbox-list .pick-all")) {
      boxes().forEach(function (box) { toggle(box, target.checked); });
      syncSelection();
    } else if (target.id === "bulk-change") {
      showTagField();
    }
  });

  function showTagField() {
    var choice = document.getElementById("bulk-change");
    var field = document.querySelector(".bulk-bar .bulk-tag");
    if (!choice || !field) return;
    var wanted = choice.value === "tag";
    field.hidden = !wanted;
    field.querySelector("input").required = wanted;
  }

  function openHelp() {
    var help = document.getElementById("shortcuts");
    if (help && !help.open) help.showModal();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest(".shortcuts-open")) openHelp();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var help = document.getElementById("shortcuts");
    if ((help && help.open) || isTyping(event.target) || !list()) return;
    var key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
    } else if (key === "x") {
      var row = currentRow();
      var box = row && row.querySelector("input[name=ticket]");
      if (!box) return;
      event.preventDefault();
      box.checked = !box.checked;
      toggle(box, box.checked);
      syncSelection();
    } else if (key === "Enter") {
      // On a link or button the browser already does the right thing.
      if (event.target.closest("a, button, input")) return;
      var open = currentRow() && currentRow().querySelector(".open-ticket");
      if (open) { event.preventDefault(); open.click(); }
    } else if (key === "/") {
      var search = document.getElementById("filter-q");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (key === "?") {
      event.preventDefault();
      openHelp();
    }
  });

  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest(".inbox-row");
    if (row) markCurrent(row, false);
  });

  // Refreshes wait while the tab is hidden, and never fight the agent for the list.
  var hadFocus = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt === list() && document.hidden) event.preventDefault();
  });
  document.addEventListener("htmx:beforeSwap", function () {
    var element = list();
    hadFocus = !!(element && element.contains(document.activeElement));
  });
  document.addEventListener("htmx:afterSettle", function () {
    syncSelection();
    var row = currentRow();
    if (row) markCurrent(row, hadFocus);
    hadFocus = false;
  });

  function start() {
    // The browser may restore checked boxes on back/forward: take them as the selection.
    boxes().forEach(function (box) { toggle(box, box.checked); });
    syncSelection();
    showTagField();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
