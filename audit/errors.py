"""Domain errors that controllers turn into 4xx answers (see audit/core.py)."""

from __future__ import annotations


class DomainError(Exception):
    """A request that the rules refuse; ``field`` names the offending input when there is one."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Forbidden(DomainError):
    status_code = 403


class InvalidTransition(Conflict):
    """A status change that the lifecycle does not allow (e.g. approving twice)."""
