"""The legal basis of a checklist item as printed on notices (``source.cite``).

Items carry their own human citation. Versions stored before ``cite`` existed only have the
machine reference (seed file + section); for those the shipped checklists are the dictionary:
the same seed and section cite the same article.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from checklists.loader import CHECKLIST_DIR, ChecklistError, load_all


@lru_cache(maxsize=1)
def _shipped() -> dict[tuple[str, str], str]:
    try:
        checklists = load_all(CHECKLIST_DIR)
    except ChecklistError:  # a broken shipped file is reported elsewhere; no dictionary then
        return {}
    return {
        (item.source.seed, item.source.section): item.source.cite
        for cl in checklists.values()
        for item in cl.items()
        if item.source.cite
    }


def cite_for(source: Mapping[str, Any] | None) -> str | None:
    """The human citation of an item's ``source`` (dict as stored), or None if unknown."""
    if not isinstance(source, Mapping):
        return None
    cite = source.get("cite")
    if isinstance(cite, str) and cite.strip():
        return cite.strip()
    return _shipped().get((str(source.get("seed") or ""), str(source.get("section") or "")))
