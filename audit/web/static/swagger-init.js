// Starts Swagger UI from local files (no CDN); the schema URL comes from a data attribute.
(function () {
  "use strict";
  var el = document.getElementById("swagger-container");
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)audit_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : undefined;
  }
  window.ui = SwaggerUIBundle({
    url: el.getAttribute("data-spec-url"),
    dom_id: "#swagger-container",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      var token = csrfToken();
      if (token !== undefined) { request.headers["X-CSRFToken"] = token; }
      return request;
    }
  });
})();
