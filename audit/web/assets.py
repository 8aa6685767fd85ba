"""Static assets served by the app itself (no CDN), under content-hashed names.

Two sources: npm packages installed by ``make setup`` (``npm ci`` from package-lock.json into
``node_modules/``) and our own files in ``audit/web/static/``. Templates ask for a logical
name, ``{{ asset("htmx.js") }}``, and get ``/static/htmx.<hash>.js``; the hash changes with
the content, so the answer can be cached for a year (``immutable``). A file dropped into
``audit/web/static/`` is an asset under its own name; npm files are listed in ``NPM_ASSETS``.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter

from audit.settings import ROOT

STATIC_DIR = Path(__file__).parent / "static"
NODE_MODULES = ROOT / "node_modules"

# logical name → file inside node_modules (versions pinned by package-lock.json)
NPM_ASSETS: dict[str, str] = {
    "htmx.js": "htmx.org/dist/htmx.min.js",
    "pico.css": "@picocss/pico/css/pico.min.css",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js": "swagger-ui-dist/swagger-ui-standalone-preset.js",
}
CACHE_FOREVER = "public, max-age=31536000, immutable"


class AssetMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Asset:
    name: str  # logical name
    path: Path
    digest: str  # first 12 hex digits of the SHA-256 of the content

    @property
    def served_name(self) -> str:
        stem, dot, ext = self.name.rpartition(".")
        return f"{stem}.{self.digest}.{ext}" if dot else f"{self.name}.{self.digest}"

    @property
    def url(self) -> str:
        return f"/static/{self.served_name}"


def _sources() -> dict[str, Path]:
    sources = {name: NODE_MODULES / rel for name, rel in NPM_ASSETS.items()}
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            sources[path.relative_to(STATIC_DIR).as_posix()] = path
    return sources


@lru_cache(maxsize=1)
def manifest() -> dict[str, Asset]:
    """Every asset by logical name, hashed once per process."""
    found: dict[str, Asset] = {}
    for name, path in _sources().items():
        if not path.is_file():
            raise AssetMissing(
                f"web asset {name!r} is missing ({path}); run `make setup` (it runs `npm ci`)"
            )
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        found[name] = Asset(name, path, digest)
    return found


@lru_cache(maxsize=1)
def _by_served_name() -> dict[str, Asset]:
    return {a.served_name: a for a in manifest().values()}


def asset(name: str) -> str:
    """The URL of a logical asset (template global)."""
    try:
        return manifest()[name].url
    except KeyError:
        raise AssetMissing(f"unknown web asset {name!r}") from None


@get("/static/{name:path}", include_in_schema=False, sync_to_thread=False)
def serve_asset(name: Annotated[str, PathParameter(max_length=200)]) -> Response[bytes]:
    found = _by_served_name().get(name.lstrip("/"))
    if found is None:
        raise NotFoundException("no such asset")
    media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    if media_type == "application/javascript":  # Litestar adds the charset to text/* itself
        media_type += "; charset=utf-8"
    return Response(
        _content(found.served_name),
        media_type=media_type,
        headers={"Cache-Control": CACHE_FOREVER},
    )


@lru_cache(maxsize=64)
def _content(served_name: str) -> bytes:
    return _by_served_name()[served_name].path.read_bytes()


ROUTES = [serve_asset]
