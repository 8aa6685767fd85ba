"""Operator and region resolution for complaints (registry: domain ``operators``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit.domain.operators import regions
from audit.domain.operators.tables import Operator


class Unresolved(ValueError):
    """A value the registry does not know; the message says why and names the value."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class RegionKey:
    key: str  # GB/T 2260 code, or normalised free text
    resolved: bool


def free_text_key(value: str) -> str:
    return " ".join(value.split()).casefold()


class Resolver:
    """Caches registry look-ups for one import (thousands of rows share a few values)."""

    def __init__(self, operators: list[dict[str, Any]]) -> None:
        self._ops: dict[str, int] = {}
        for op in operators:
            self._ops[op["name"].strip()] = op["id"]
            if op.get("uscc"):
                self._ops[op["uscc"].upper()] = op["id"]
        self._regions: dict[tuple[str, bool], RegionKey | Unresolved] = {}

    @classmethod
    async def load(cls) -> Resolver:
        rows = await Operator.select(Operator._meta.primary_key, Operator.name, Operator.uscc).run()
        return cls(rows)

    def operator_ids(self) -> set[int]:
        return set(self._ops.values())

    def add_operator(self, name: str, operator_id: int) -> None:
        self._ops[name.strip()] = operator_id

    def operator(self, given: str) -> int | None:
        key = given.strip()
        return self._ops.get(key) or self._ops.get(key.upper())

    def region(self, given: str, allow_unknown: bool) -> RegionKey:
        """Resolve through GB/T 2260; raises :class:`Unresolved` with the reason."""
        memo = self._regions.get((given, allow_unknown))
        if memo is None:
            memo = self._regions[(given, allow_unknown)] = _region(given, allow_unknown)
        if isinstance(memo, Unresolved):
            raise memo
        return memo


def _region(given: str, allow_unknown: bool) -> RegionKey | Unresolved:
    try:
        rec = regions.lookup(given)
    except regions.AmbiguousRegionError as exc:
        return Unresolved("region", str(exc))
    except ValueError as exc:
        return Unresolved("region", str(exc))
    if rec is not None:
        if not rec.is_region:
            # The rule counts per prefecture-level city (seed 004 Art. 10).
            return Unresolved(
                "region",
                f"region {given!r} is {rec.name} ({rec.code}), a province: "
                "give the prefecture-level city",
            )
        return RegionKey(rec.code, True)
    if allow_unknown:
        return RegionKey(free_text_key(given), False)
    return Unresolved(
        "region",
        f"region {given!r} is not in the GB/T 2260 registry (or allow unknown regions)",
    )
