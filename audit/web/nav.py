"""The navigation: each page module lists its entries in ``NAV``; the layout shows the entries
whose permission (the role matrix, ``audit/domain/accounts/roles.py``) the current user's role
has, in ``order`` — the same permission as the page's guard. The axe crawler test walks
exactly these links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit.domain.accounts import roles as matrix
from audit.web.i18n import gettext


@dataclass(frozen=True)
class NavItem:
    label: str  # an English message id, marked with N_() where it is declared
    href: str
    permission: str  # the permission of the page's guard
    order: int = 50

    @property
    def roles(self) -> tuple[str, ...]:
        return matrix.roles_for(self.permission)

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
        if matrix.can(user["role"], i.permission)
    ]
