"""Discovery of domains: every package under ``audit/domain`` is a domain.

A domain contributes, by module name: ``piccolo_app`` (tables + migrations), ``controllers``
(``ROUTES``), ``cli`` (``group``), ``startup`` (``on_startup``/``on_shutdown`` coroutines).
Adding a domain therefore touches no shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

DOMAIN_DIR = Path(__file__).parent / "domain"


def domain_names() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules([str(DOMAIN_DIR)])
        if m.ispkg and not m.name.startswith("_")
    )


def has_module(domain: str, module: str) -> bool:
    base = DOMAIN_DIR / domain
    return (base / f"{module}.py").exists() or (base / module / "__init__.py").exists()


def domain_modules(module: str) -> Iterator[tuple[str, ModuleType]]:
    for name in domain_names():
        if has_module(name, module):
            yield name, importlib.import_module(f"audit.domain.{name}.{module}")
