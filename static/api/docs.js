// Starts Swagger UI for /api/docs/ from the element's data attributes (no inline script:
// the page keeps the strict Content-Security-Policy). Requests made with "Try it out" use
// the session and send the CSRF token; a token can be entered with "Authorize".
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("swagger-ui");
    if (!element || !window.SwaggerUIBundle) {
      return;
    }
    var csrf = element.getAttribute("data-csrf-token");
    window.ui = window.SwaggerUIBundle({
      url: element.getAttribute("data-schema-url"),
      dom_id: "#swagger-ui",
      presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
      layout: "BaseLayout",
      deepLinking: true,
      persistAuthorization: false,
      requestInterceptor: function (request) {
        var method = (request.method || "GET").toUpperCase();
        if (csrf && ["GET", "HEAD", "OPTIONS"].indexOf(method) === -1) {
          request.headers["X-CSRFToken"] = csrf;
        }
        return request;
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
