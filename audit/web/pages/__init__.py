"""Page modules: every ``audit/web/pages/<name>.py`` exports ``ROUTES`` (controllers deriving
from :class:`audit.web.pages.base.PageController`) and may export ``NAV`` (navigation entries).
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
