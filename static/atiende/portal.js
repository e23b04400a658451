// Drag and drop onto the whole drop zone, and a list of the chosen files with their
// sizes. Without this script the file picker still works; the server checks the limits.
(function () {
  "use strict";
  function formatSize(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }
  function showFiles(zone, input) {
    var list = zone.querySelector(".chosen");
    if (!list) {
      list = document.createElement("ul");
      list.className = "chosen";
      list.setAttribute("aria-live", "polite");
      zone.appendChild(list);
    }
    list.textContent = "";
    var limit = Number(zone.dataset.maxBytes || 0);
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + formatSize(file.size) + ")";
      if (limit && file.size > limit) {
        item.className = "too-big";
        item.textContent += " — " + (zone.dataset.tooBig || "too big");
      }
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
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          showFiles(zone, input);
        }
      });
      input.addEventListener("change", function () { showFiles(zone, input); });
    });
  }
  setUp(document);
  // Fragments swapped in by htmx (the desk's composer) get the same behaviour.
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
})();
