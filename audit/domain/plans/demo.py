"""Demo data: the shipped checklists stored as versions, at every start-up — each content once,
never over a version edited through the API (see ``import_shipped``)."""

from __future__ import annotations

from typing import Any

from audit.domain.plans.checklist_versions import import_shipped
from checklists.loader import CHECKLIST_DIR, checklist_files, load_checklist


async def load(app: Any) -> None:
    for path in checklist_files(CHECKLIST_DIR):
        await import_shipped(load_checklist(path), path.name)
