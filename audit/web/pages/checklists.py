"""Checklists: the stored versions, one version as a readable scorecard, the side-by-side diff
of two versions, and the YAML import that lists every problem the validator finds."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from audit.api import CurrentActor, Id
from audit.domain.plans import checklist_versions
from audit.domain.plans.checklist_versions import ChecklistInvalid
from audit.errors import DomainError
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, page_needs
from checklists.diff import diff_checklists
from checklists.loader import checklist_from_data

VersionId = Annotated[int, QueryParameter(gt=0, le=2_147_483_647)]
SEVERITIES = {"veto": N_("Veto"), "critical": N_("Critical"), "minor": N_("Minor")}
EVIDENCE = {
    "photo": N_("photo"),
    "recording": N_("recording"),
    "screenshot": N_("screenshot"),
    "note": N_("note"),
}
FIELD_LABELS = {
    "text": N_("Text"),
    "severity": N_("Severity"),
    "deduction": N_("Deduction"),
    "na_allowed": N_("N/A allowed"),
    "evidence_required": N_("Evidence required"),
    "measure": N_("Measure binding"),
    "source": N_("Source"),
    "guidance": N_("Guidance"),
    "title": N_("Title"),
    "description": N_("Description"),
    "applies_to": N_("Applies to"),
    "pass_mark": N_("Pass mark"),
    "data": N_("Data lists"),
}
MAX_UPLOAD = 1024 * 1024  # a checklist is a few KB; the import refuses more up front


def _labels() -> dict[str, dict[str, str]]:
    return {
        "severity": {k: gettext(v) for k, v in SEVERITIES.items()},
        "evidence": {k: gettext(v) for k, v in EVIDENCE.items()},
        "fields": {k: gettext(v) for k, v in FIELD_LABELS.items()},
    }


def _grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            row["checklist_key"], {"key": row["checklist_key"], "versions": []}
        )
        group["versions"].append(row)
    for group in groups.values():
        group["versions"].sort(key=lambda r: r["version"], reverse=True)
        group["latest"] = group["versions"][0]
    return list(groups.values())


class ChecklistPages(PageController):
    path = "/ui/checklists"

    @get("/", guards=[page_needs("checklists.read")])
    async def index(self) -> Template:
        groups = _grouped(await checklist_versions.list_versions())
        return Template("checklists/list.html.j2", context={"groups": groups})

    @get("/versions/{version_id:int}", guards=[page_needs("checklists.read")])
    async def version(self, version_id: Id) -> Template:
        row = await checklist_versions.get_version(version_id)
        checklist = checklist_from_data(row["content"])
        siblings = await checklist_versions.list_versions(row["checklist_key"])
        return Template(
            "checklists/version.html.j2",
            context={"row": row, "cl": checklist, "siblings": siblings, **_labels()},
        )

    @get("/diff", guards=[page_needs("checklists.read")])
    async def diff(self, a: VersionId, b: VersionId) -> Template:
        before = await checklist_versions.get_version(a)
        after = await checklist_versions.get_version(b)
        if before["checklist_key"] != after["checklist_key"]:
            raise DomainError(gettext("Only versions of the same checklist can be compared."))
        result = diff_checklists(
            checklist_from_data(before["content"]), checklist_from_data(after["content"])
        )
        siblings = await checklist_versions.list_versions(before["checklist_key"])
        return Template(
            "checklists/diff.html.j2",
            context={"a": before, "b": after, "d": result, "siblings": siblings, **_labels()},
        )

    @get("/import", guards=[page_needs("checklists.write")])
    async def import_form(self) -> Template:
        return Template("checklists/import.html.j2", context={"problems": [], "text": ""})

    @post("/import", guards=[page_needs("checklists.write")])
    async def import_yaml(
        self, request: Request[Any, Any, Any], actor: CurrentActor
    ) -> Response[Any]:
        form = await request.form()
        text = str(form.get("yaml") or "")
        name = "<pasted>"
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            content = await upload.read(MAX_UPLOAD + 1)
            name = upload.filename[:200]
            if len(content) > MAX_UPLOAD:
                return self._failed(text, [gettext("The file is larger than 1 MiB.")])
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                return self._failed("", [gettext("%(name)s is not UTF-8 text.", name=name)])
        if not text.strip():
            return self._failed(text, [gettext("Paste the checklist YAML or choose a file.")])
        try:
            checklist = checklist_versions.parse_yaml(text, name)
            row, created = await checklist_versions.import_checklist(
                checklist, actor, source="upload"
            )
        except ChecklistInvalid as exc:
            return self._failed(text, [str(p) for p in exc.problems])
        except DomainError as exc:
            return self._failed(text, [exc.message])
        return Redirect(
            f"/ui/checklists/versions/{row['id']}?imported={'new' if created else 'same'}",
            status_code=303,
        )

    @staticmethod
    def _failed(text: str, problems: list[str]) -> Template:
        return Template(
            "checklists/import.html.j2",
            context={"problems": problems, "text": text},
            status_code=422,
        )


ROUTES = [ChecklistPages]
NAV = [NavItem(N_("Checklists"), "/ui/checklists", "checklists.read", order=30)]
DETAIL = {"checklist_version": "/ui/checklists/versions/{id}"}
