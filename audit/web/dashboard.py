"""What each role's dashboard shows, gathered from the domains' services (no rules here)."""

from __future__ import annotations

from typing import Any

from audit.domain.accounts.services import actor_of
from audit.domain.operators import services as operators


async def for_user(user: dict[str, Any]) -> dict[str, Any]:
    actor = actor_of(user)
    context: dict[str, Any] = {"role": user["role"]}
    if user["role"] == "operator":
        ops = await operators.list_operators(actor)
        context["operators"] = ops
        context["venues"] = {o["id"]: await operators.list_venues(o["id"], actor) for o in ops}
    return context
