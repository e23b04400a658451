// Starts Redoc for /api/redoc/ (no inline script: scripts keep the strict policy).
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("redoc");
    if (!element || !window.Redoc) {
      return;
    }
    // Search runs in a worker made from a blob: URL, which the policy refuses.
    window.Redoc.init(element.getAttribute("data-schema-url"), { disableSearch: true }, element);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
