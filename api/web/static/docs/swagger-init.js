// Starts Swagger UI on /docs.  A file rather than an inline script, so that the page's policy allows scripts from
// this service only.  The settings are FastAPI's defaults, without the online validator: its badge would send the
// address of the OpenAPI document to validator.swagger.io.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
