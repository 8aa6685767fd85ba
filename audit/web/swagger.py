"""Swagger UI from the app's own assets (swagger-ui-dist from npm), without inline script,
so ``/schema/swagger`` renders offline and under the strict CSP."""

from __future__ import annotations

import html
from typing import Any

from litestar import Request
from litestar.openapi.plugins import SwaggerRenderPlugin

from audit.web.assets import asset


class OfflineSwaggerRenderPlugin(SwaggerRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = html.escape(str(openapi_schema["info"]["title"]))
        spec_url = html.escape(self.get_openapi_json_route(request))
        page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{asset("favicon.svg")}" type="image/svg+xml">
<link rel="stylesheet" href="{asset("swagger-ui.css")}">
<link rel="stylesheet" href="{asset("app.css")}">
<script src="{asset("swagger-ui-bundle.js")}" defer></script>
<script src="{asset("swagger-ui-standalone-preset.js")}" defer></script>
<script src="{asset("swagger-init.js")}" defer></script>
</head><body class="swagger">
<div id="swagger-container" data-spec-url="{spec_url}"></div>
</body></html>"""
        return page.encode()
