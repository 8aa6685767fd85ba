"""The diff of two checklist versions: what was added, removed, changed (and which fields),
and what stayed the same; an item that moved to another section is not "removed"."""

from __future__ import annotations

from checklists.diff import diff_checklists
from checklists.loader import CHECKLIST_DIR, load_checklist


def _pair():
    a = load_checklist(CHECKLIST_DIR / "business_hall.yaml")
    data = a.canonical()
    first, second = data["sections"][0], data["sections"][1]
    changed = first["items"][0]
    changed["na_allowed"] = not changed.get("na_allowed", False)
    changed["text"]["zh"] = changed["text"]["zh"] + "(修订)"
    removed = first["items"].pop(1)
    moved = second["items"].pop(0)
    first["items"].append(moved)
    added = dict(removed, id="new.item")  # carries the removed item's deduction
    second["items"].append(added)
    data["pass_mark"] = "70"
    data["version"] = a.version + 1
    from checklists.loader import checklist_from_data

    return a, checklist_from_data(data), changed["id"], removed["id"], moved["id"]


def test_changes_are_classified_with_their_fields() -> None:
    a, b, changed, removed, moved = _pair()
    d = diff_checklists(a, b)
    by_id = {i.item_id: i for s in d.sections for i in s.items}
    assert by_id[changed].status == "changed"
    assert set(by_id[changed].fields) == {"text", "na_allowed"}
    assert by_id[removed].status == "removed" and by_id[removed].after is None
    assert by_id["new.item"].status == "added" and by_id["new.item"].before is None
    assert by_id[moved].status == "same"  # moved, not removed and re-added
    assert [f for f, _, _ in d.meta] == ["pass_mark"]
    counts = d.counts
    assert (counts["added"], counts["removed"], counts["changed"]) == (1, 1, 1)
    assert counts["same"] == len(a.items()) - 2


def test_a_version_compared_with_itself_is_identical() -> None:
    a = load_checklist(CHECKLIST_DIR / "hotline.yaml")
    d = diff_checklists(a, a)
    assert d.identical
    assert d.counts["same"] == len(a.items())
