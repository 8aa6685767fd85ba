"""Notices cite the regulation's name and article as legal basis — never seed file names,
seed part labels or checklist item codes (issue 16 item 16)."""

from __future__ import annotations

import json
from typing import Any

from audit.domain.notices import drafts, issuing, services
from audit.domain.plans.tables import ChecklistVersion
from audit.notices.models import NoticeType, check_content
from tests.integration.notices.notice_helpers import submitted_inspection
from tests.integration.plans.world import build_world
from tests.unit.notices.pdftools import pdftotext

TARIFFS_CITE = "《电信服务质量监督抽查规定》附件《电信服务质量监督抽查参考内容》一(一)"
INTERNAL = ("004_82a5fe0d984026c6", ".txt", "范文4", "environment.tariffs_posted", "handling.")


def _flat(pdf_path: Any) -> str:
    return "".join(pdftotext(pdf_path.read_bytes(), raw=True).split())


def _assert_no_internal_refs(text: str) -> None:
    for ref in INTERNAL:
        assert ref not in text, f"{ref!r} printed on a legal document"


async def test_rectification_cites_the_regulation(client: Any, cast: Any) -> None:
    world = await build_world(cast)
    iid = await submitted_inspection(client, world)
    insp = cast.actor("inspector2")
    draft = await drafts.create_rectification_draft(iid, insp)
    findings = draft["content"]["findings"]
    tariffs = next(f for f in findings if "公布资费标准" in f["item"])
    assert tariffs["rule"] == TARIFFS_CITE
    assert tariffs["item"] == "公布资费标准"  # the item's words, not its code
    _assert_no_internal_refs(json.dumps(findings, ensure_ascii=False))

    content = draft["content"]
    for f in content["findings"]:
        f["rectification"] = "张贴资费标准。"
    content["deadline"] = "2026-12-31"
    await services.update_draft(draft["id"], insp, content)
    sup = cast.actor("supervisor")
    await services.approve(draft["id"], sup)
    text = _flat(issuing.pdf_file(await issuing.issue(draft["id"], sup)))
    assert TARIFFS_CITE in text
    _assert_no_internal_refs(text)


async def test_findings_report_prints_basis_not_item_codes(client: Any, cast: Any) -> None:
    world = await build_world(cast)
    iid = await submitted_inspection(client, world)
    sup = cast.actor("supervisor")
    draft = await drafts.create_findings_report_draft(iid, sup)
    tariffs = next(i for i in draft["content"]["items"] if i["title"] == "公布资费标准")
    assert tariffs["basis"] == TARIFFS_CITE
    await services.approve(draft["id"], cast.actor("admin"))  # four eyes: sup drafted it
    text = _flat(issuing.pdf_file(await issuing.issue(draft["id"], sup)))
    assert "依据" in text and TARIFFS_CITE in text
    _assert_no_internal_refs(text)


async def test_version_stored_without_cite_still_drafts_a_citation(client: Any, cast: Any) -> None:
    """A version pinned before items carried ``cite``: the shipped checklists supply it."""
    world = await build_world(cast)
    iid = await submitted_inspection(client, world)
    from audit.domain.inspections.tables import Finding

    # strip the citation from the stored findings, as rows written before the field existed
    for row in await Finding.select(Finding.id, Finding.source).where(Finding.inspection == iid):
        src = row["source"] if isinstance(row["source"], dict) else json.loads(row["source"])
        src.pop("cite", None)
        await Finding.update({Finding.source: src}).where(Finding.id == row["id"])
    draft = await drafts.create_rectification_draft(iid, cast.actor("inspector2"))
    tariffs = next(f for f in draft["content"]["findings"] if f["item"] == "公布资费标准")
    assert tariffs["rule"] == TARIFFS_CITE

    # a source no shipped checklist knows: the basis is left for the editor (listed missing)
    for row in await Finding.select(Finding.id).where(Finding.inspection == iid):
        await Finding.update({Finding.source: {"seed": "009_abcdef01.txt", "section": "x"}}).where(
            Finding.id == row["id"]
        )
    draft = await drafts.create_rectification_draft(iid, cast.actor("inspector2"))
    assert "findings[0].rule" in draft["missing"]
    assert all(f["rule"] == "" for f in draft["content"]["findings"])


async def test_pinned_version_without_cite_still_loads(client: Any, cast: Any) -> None:
    from audit.domain.plans.checklist_versions import _PARSED, pinned_checklist

    world = await build_world(cast)
    vid = world.versions["business-hall"]["id"]
    row = (
        await ChecklistVersion.select(ChecklistVersion.content)
        .where(ChecklistVersion.id == vid)
        .first()
    )
    content = row["content"] if isinstance(row["content"], dict) else json.loads(row["content"])
    for section in content["sections"]:
        for item in section["items"]:
            item["source"].pop("cite")
    await ChecklistVersion.update(
        {ChecklistVersion.content: content, ChecklistVersion.content_hash: "legacy-" + str(vid)}
    ).where(ChecklistVersion.id == vid)
    _PARSED.clear()
    cl = await pinned_checklist(vid)
    assert all(i.source.cite is None for i in cl.items())


def test_notice_content_refuses_seed_file_names_as_basis() -> None:
    from tests.integration.notices.notice_helpers import full_content

    content = full_content(NoticeType.rectification)
    content["findings"][0]["rule"] = "004_82a5fe0d984026c6.txt 范文4 参考内容一(一)"
    check = check_content(NoticeType.rectification, content)
    assert not check.ok
    assert any(i.startswith("findings[0].rule: ") and "by name" in i for i in check.invalid)
    content = full_content(NoticeType.findings_report)
    content["items"][0]["basis"] = "see 001_1811ceb8b726ab3d.txt §6.3"
    assert not check_content(NoticeType.findings_report, content).ok
