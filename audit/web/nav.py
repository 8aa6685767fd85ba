"""The navigation: each page module lists its entries in ``NAV``; the layout shows the entries
of the current user's role, in ``order``. The axe crawler test walks exactly these links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit.web.i18n import gettext


@dataclass(frozen=True)
class NavItem:
    label: str  # an English message id, marked with N_() where it is declared
    href: str
    roles: tuple[str, ...]
    order: int = 50

    def is_current(self, path: str) -> bool:
        return path == self.href if self.href == "/" else path.startswith(self.href)


def entries_for(
    user: dict[str, Any] | None, items: list[NavItem], path: str
) -> list[dict[str, Any]]:
    """What the layout renders for ``user`` on ``path`` (labels translated now)."""
    if user is None:
        return []
    return [
        {"label": gettext(i.label), "href": i.href, "current": i.is_current(path)}
        for i in sorted(items, key=lambda i: (i.order, i.href))
        if user["role"] in i.roles
    ]
