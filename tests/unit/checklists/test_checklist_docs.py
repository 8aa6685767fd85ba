"""docs/checklists/ has a page per shipped checklist, generated from the YAML and current."""

from __future__ import annotations

from checklists.docs import DOCS_DIR, page_name, render
from checklists.loader import CHECKLIST_DIR, checklist_files, load_checklist


def test_each_checklist_has_an_up_to_date_page() -> None:
    for path in checklist_files(CHECKLIST_DIR):
        page = DOCS_DIR / page_name(path)
        assert page.exists(), f"missing {page}; run python -m checklists.docs"
        expected = render(load_checklist(path), path.name)
        assert page.read_text(encoding="utf-8") == expected, f"{page} is stale"


def test_page_names_every_item_and_its_seed() -> None:
    cl = load_checklist(CHECKLIST_DIR / "online_chat.yaml")
    text = render(cl, "online_chat.yaml")
    for item in cl.items():
        assert f"`{item.id}`" in text
        assert item.source.seed in text
