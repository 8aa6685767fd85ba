"""Demo data: the shipped checklists stored as versions (idempotent: unchanged content keeps
its version)."""

from __future__ import annotations

from typing import Any

from audit.context import SYSTEM
from audit.domain.plans.checklist_versions import import_checklist
from checklists.loader import CHECKLIST_DIR, checklist_files, load_checklist


async def load(app: Any) -> None:
    for path in checklist_files(CHECKLIST_DIR):
        await import_checklist(load_checklist(path), SYSTEM, source=f"checklists/{path.name}")
