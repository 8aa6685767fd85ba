"""Assets are served by the app under content-hashed names (no CDN), cached for a year; the
Swagger page loads only our own files."""

from __future__ import annotations

import hashlib
import re
from typing import Any


async def test_assets_are_served_with_their_content_hash(client: Any, db: str) -> None:
    from audit.web.assets import manifest

    for name in ("htmx.js", "pico.css", "app.css", "swagger-ui-bundle.js"):
        found = manifest()[name]
        r = await client.get(found.url)
        assert r.status_code == 200, name
        assert hashlib.sha256(r.content).hexdigest()[:12] == found.digest
        assert found.digest in found.url
        assert "immutable" in r.headers["cache-control"]
        # one charset, not "; charset=utf-8; charset=utf-8" (Litestar adds it to text/*)
        assert r.headers["content-type"].count("charset=") == 1, r.headers["content-type"]
    stale = manifest()["app.css"].url.replace(manifest()["app.css"].digest, "0" * 12)
    assert (await client.get(stale)).status_code == 404


async def test_htmx_is_pinned_to_2x(db: str) -> None:
    from audit.web.assets import manifest

    text = manifest()["htmx.js"].path.read_text()
    assert re.search(r'version:\s*"2\.\d+\.\d+"', text)


async def test_pages_and_swagger_reference_no_other_host(client: Any, db: str) -> None:
    for path in ("/login", "/schema/swagger"):
        html = (await client.get(path)).text
        refs = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert refs, path
        assert all(r.startswith(("/", "#")) for r in refs), (path, refs)
