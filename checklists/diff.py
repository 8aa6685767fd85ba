"""What changed between two versions of a checklist: metadata, sections and items, field by
field. Pure data, so the side-by-side page and its tests share one definition of "changed"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from checklists.schema import Checklist, Item, Section

Status = Literal["same", "added", "removed", "changed"]
ITEM_FIELDS = (
    "text",
    "severity",
    "deduction",
    "na_allowed",
    "evidence_required",
    "measure",
    "source",
    "guidance",
)
META_FIELDS = ("title", "description", "applies_to", "pass_mark", "data")


@dataclass(frozen=True)
class ItemDiff:
    item_id: str
    status: Status
    before: Item | None
    after: Item | None
    fields: tuple[str, ...] = ()  # the changed fields when status == "changed"


@dataclass(frozen=True)
class SectionDiff:
    section_id: str
    status: Status
    before: Section | None
    after: Section | None
    items: list[ItemDiff] = field(default_factory=list)
    title_changed: bool = False


@dataclass(frozen=True)
class ChecklistDiff:
    before: Checklist
    after: Checklist
    meta: list[tuple[str, Any, Any]]  # (field, before, after) for changed metadata
    sections: list[SectionDiff]

    @property
    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0, "same": 0}
        for s in self.sections:
            for i in s.items:
                out[i.status] += 1
        return out

    @property
    def identical(self) -> bool:
        return not self.meta and all(
            s.status == "same" and not s.title_changed for s in self.sections
        )


def _dump(value: Any) -> Any:
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


def _merged_order(before: list[str], after: list[str]) -> list[str]:
    """``after``'s order, with ids only in ``before`` placed after their predecessor."""
    order = list(after)
    for pos, key in enumerate(before):
        if key in order:
            continue
        prev = next((before[j] for j in range(pos - 1, -1, -1) if before[j] in order), None)
        order.insert(order.index(prev) + 1 if prev is not None else 0, key)
    return order


def diff_items(before: Item | None, after: Item | None) -> ItemDiff:
    item_id = (after or before).id  # type: ignore[union-attr]
    if before is None:
        return ItemDiff(item_id, "added", None, after)
    if after is None:
        return ItemDiff(item_id, "removed", before, None)
    changed = tuple(f for f in ITEM_FIELDS if _dump(getattr(before, f)) != _dump(getattr(after, f)))
    return ItemDiff(item_id, "changed" if changed else "same", before, after, changed)


def diff_checklists(before: Checklist, after: Checklist) -> ChecklistDiff:
    meta = [
        (f, _dump(getattr(before, f)), _dump(getattr(after, f)))
        for f in META_FIELDS
        if _dump(getattr(before, f)) != _dump(getattr(after, f))
    ]
    # an item that moved between sections is shown where it is now, as changed or same
    items_before = {i.id: i for i in before.items()}
    items_after = {i.id: i for i in after.items()}
    sec_before = {s.id: s for s in before.sections}
    sec_after = {s.id: s for s in after.sections}
    sections = []
    for sid in _merged_order(list(sec_before), list(sec_after)):
        s_before, s_after = sec_before.get(sid), sec_after.get(sid)
        ids_before = [i.id for i in s_before.items] if s_before else []
        ids_after = [i.id for i in s_after.items] if s_after else []
        item_ids = [
            i
            for i in _merged_order(ids_before, ids_after)
            if i in ids_after or i not in items_after  # moved items: only where they are now
        ]
        items = [
            diff_items(items_before.get(i), items_after.get(i) if i in ids_after else None)
            for i in item_ids
        ]
        if s_before is None:
            status: Status = "added"
        elif s_after is None:
            status = "removed"
        else:
            status = "same" if all(i.status == "same" for i in items) else "changed"
        title_changed = bool(s_before and s_after and _dump(s_before.title) != _dump(s_after.title))
        sections.append(SectionDiff(sid, status, s_before, s_after, items, title_changed))
    return ChecklistDiff(before, after, meta, sections)
