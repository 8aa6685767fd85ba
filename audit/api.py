"""Things every controller uses: id parameters, the current user/actor dependencies, paging."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.di import NamedDependency, Provide
from litestar.params import PathParameter, QueryParameter

from audit.context import Actor as _Actor
from audit.domain.accounts.guards import current_actor, current_user

# Piccolo's Serial is a 32-bit integer on PostgreSQL: bound ids so no path can overflow it.
Id = Annotated[int, PathParameter(gt=0, le=2_147_483_647)]
Limit = Annotated[int, QueryParameter(ge=1, le=1000)]
Offset = Annotated[int, QueryParameter(ge=0, le=10_000_000)]

# Handler parameters named ``user`` / ``actor`` receive the caller (guards have run first).
CurrentUser = NamedDependency[dict[str, Any]]
CurrentActor = NamedDependency[_Actor]

DEPENDENCIES: dict[str, Any] = {
    "user": Provide(current_user, sync_to_thread=False),
    "actor": Provide(current_actor, sync_to_thread=False),
}
