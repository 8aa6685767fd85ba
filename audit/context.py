"""Per-request context (request id, acting user) carried by contextvars."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


@dataclass(frozen=True)
class Actor:
    """Who performs a write: a user, or the system itself (CLI, jobs, webhooks)."""

    id: int | None
    name: str
    role: str = "system"
    operator_id: int | None = None

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"


SYSTEM = Actor(id=None, name="system")
