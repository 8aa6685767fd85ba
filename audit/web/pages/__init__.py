"""Page modules: every ``audit/web/pages/<name>.py`` exports ``ROUTES`` (controllers deriving
from :class:`audit.web.pages.base.PageController`) and may export ``NAV`` (navigation entries)
and ``DETAIL`` (``{"plan": "/ui/plans/{id}"}``: where a record of that kind is shown, so other
pages link to it only once such a page exists).
They are discovered by name, so adding a page touches no shared file (see docs/ui.md)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from audit.web.nav import NavItem

_DIR = Path(__file__).parent


@lru_cache(maxsize=1)
def page_modules() -> tuple[ModuleType, ...]:
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(_DIR)])
        if not m.name.startswith("_") and m.name != "base"
    )
    return tuple(importlib.import_module(f"{__name__}.{name}") for name in names)


def page_routes() -> list[Any]:
    return [route for module in page_modules() for route in getattr(module, "ROUTES", [])]


@lru_cache(maxsize=1)
def nav_items() -> list[NavItem]:
    return [item for module in page_modules() for item in getattr(module, "NAV", [])]


@lru_cache(maxsize=1)
def detail_urls() -> dict[str, str]:
    found: dict[str, str] = {}
    for module in page_modules():
        found.update(getattr(module, "DETAIL", {}))
    return found


def detail_url(kind: str, record_id: object) -> str | None:
    """The page of one record (template global), or None while no page shows that kind."""
    pattern = detail_urls().get(kind)
    return pattern.format(id=record_id) if pattern else None
