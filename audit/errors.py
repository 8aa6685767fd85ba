"""Domain errors that controllers turn into 4xx answers (see audit/core.py)."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """A request that the rules refuse; ``field`` names the offending input when there is one."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConfigError(Exception):
    """A setting that cannot work, said in one line naming it and the cause; the CLI prints
    it and exits non-zero instead of a traceback."""

    def __init__(self, setting: str, cause: str) -> None:
        super().__init__(f"{setting}: {cause}")
        self.setting = setting
        self.cause = cause


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Forbidden(DomainError):
    status_code = 403


class InvalidTransition(Conflict):
    """A status change that the lifecycle does not allow (e.g. approving twice)."""


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused — for a page to show beside its disabled button and for the
    API to raise — with the status it answers: 409 wrong state, 403 wrong person, 400 rule."""

    reason: str
    status: int = 409
    field: str | None = None

    def error(self, what: str) -> DomainError:
        cls = {409: InvalidTransition, 403: Forbidden, 404: NotFound}.get(self.status, DomainError)
        return cls(f"cannot {what}: {self.reason}", field=self.field)
