// Drag and drop onto the whole drop zone, and a list of the chosen files with their
// sizes. Files the server would refuse (kind, size, total) are taken out of the selection
// before anything is uploaded, with the reason, and the valid ones stay chosen. Without
// this script the file picker still works; the server checks the limits and the content.
(function () {
  "use strict";
  function formatSize(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    if (!bytes) return "0 KB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }
  function extensionOf(name) {
    var dot = name.lastIndexOf(".");
    return dot > 0 ? name.slice(dot).toLowerCase() : "";
  }
  function listIn(zone) {
    var list = zone.querySelector(".chosen");
    if (!list) {
      list = document.createElement("ul");
      list.className = "chosen";
      list.setAttribute("aria-live", "polite");
      zone.appendChild(list);
    }
    return list;
  }
  // Which files to keep and, for the others, why not.
  function sortOut(zone, files) {
    var accepted = (zone.dataset.accept || "").split(" ").filter(Boolean);
    var perFile = Number(zone.dataset.maxBytes || 0);
    var total = Number(zone.dataset.maxTotal || 0);
    var sum = 0;
    var kept = [];
    var refused = [];
    Array.prototype.forEach.call(files, function (file) {
      var reason = "";
      if (accepted.length && accepted.indexOf(extensionOf(file.name)) < 0) reason = zone.dataset.badType || "not accepted";
      else if (!file.size) reason = zone.dataset.empty || "empty";
      else if (perFile && file.size > perFile) reason = zone.dataset.tooBig || "too big";
      else if (total && sum + file.size > total) reason = zone.dataset.tooMuch || "over the total";
      if (reason) refused.push({ file: file, reason: reason });
      else { kept.push(file); sum += file.size; }
    });
    return { kept: kept, refused: refused };
  }
  function choose(zone, input, files) {
    var result = sortOut(zone, files);
    // A DataTransfer is the only way to set a file input's selection; without it the
    // server still refuses, with the same reasons.
    if (result.refused.length && typeof DataTransfer === "function") {
      try {
        var keep = new DataTransfer();
        result.kept.forEach(function (file) { keep.items.add(file); });
        input.files = keep.files;
      } catch (e) { /* keep the browser's selection */ }
    } else if (files !== input.files) {
      input.files = files;
    }
    var list = listIn(zone);
    list.textContent = "";
    result.kept.forEach(function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + formatSize(file.size) + ")";
      list.appendChild(item);
    });
    result.refused.forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "too-big";
      item.textContent = entry.file.name + " (" + formatSize(entry.file.size) + ") — " + entry.reason;
      list.appendChild(item);
    });
  }
  function setUp(root) {
    root.querySelectorAll(".dropzone:not([data-ready])").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      if (!input) return;
      zone.dataset.ready = "1";
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) {
          event.preventDefault();
          zone.classList.add("dragging");
        });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) choose(zone, input, event.dataTransfer.files);
      });
      input.addEventListener("change", function () { choose(zone, input, input.files); });
    });
  }
  setUp(document);
  // Fragments swapped in by htmx (the desk's composer) get the same behaviour.
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
})();

// The header's menus (the desk's "More", the account menu, the portal's menu on phones) are
// <details>: they open and close without this script; with it, a click elsewhere or Escape
// closes them.
(function () {
  "use strict";
  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest ? event.target.closest("details[data-menu]") : null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details[data-menu][open]");
    if (!open) return;
    open.removeAttribute("open");
    open.querySelector("summary").focus();
  });
})();
