"""A CSV uploaded through the web page: imported by the same service as the API and the CLI,
its summary and rejects file kept under ``var/complaint-uploads/<id>/`` for download.

The uploaded file itself is deleted once the rejects are copied out of it: it holds
complainants' data the regulator keeps in the database, not in loose files.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

from audit.context import Actor
from audit.domain.complaints import services
from audit.domain.complaints.csvparse import CsvLayoutError
from audit.domain.complaints.importer import ImportOptions
from audit.domain.complaints.mapping import MAPPINGS_DIR
from audit.domain.complaints.rejects import write_rejects
from audit.domain.complaints.taxonomy import DataFileError
from audit.errors import DomainError, NotFound
from audit.settings import get_settings

UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
SHOWN_REJECTS = 200


def _root() -> Path:
    return get_settings().var_dir / "complaint-uploads"


def _folder(upload_id: str) -> Path:
    if not UPLOAD_ID.match(upload_id):
        raise NotFound("upload not found")
    folder = _root() / upload_id
    if not (folder / "summary.json").is_file():
        raise NotFound("upload not found")
    return folder


def shipped_mappings() -> list[str]:
    return sorted(p.stem for p in MAPPINGS_DIR.glob("*.yaml"))


async def import_upload(
    body: bytes,
    actor: Actor,
    *,
    mapping: str | None = None,
    source: str | None = None,
    create_operators: bool = False,
    allow_unknown_regions: bool = False,
    allow_unknown_issues: bool = False,
) -> str:
    """Import ``body`` (CSV bytes); returns the upload id whose summary and rejects are kept."""
    if not body:
        raise DomainError("choose a CSV file", field="file")
    if len(body) > get_settings().max_upload_bytes:
        raise DomainError("the upload is larger than the configured limit", field="file")
    map_path = None
    if mapping:
        if mapping not in shipped_mappings():
            raise DomainError(f"no shipped mapping named {mapping!r}", field="mapping")
        map_path = MAPPINGS_DIR / f"{mapping}.yaml"
    try:
        m = services.mapping_for(map_path, source or None)
    except DataFileError as exc:
        raise DomainError(str(exc), field="mapping") from exc
    opts = ImportOptions(
        source=m.source,
        create_operators=create_operators,
        allow_unknown_regions=allow_unknown_regions,
        allow_unknown_issues=allow_unknown_issues,
    )
    upload_id = secrets.token_hex(16)
    folder = _root() / upload_id
    folder.mkdir(parents=True)
    csv_path = folder / "upload.csv"
    csv_path.write_bytes(body)
    try:
        try:
            report = await services.import_file(csv_path, m, opts, actor)
        except CsvLayoutError as exc:
            raise DomainError(str(exc), field="file") from exc
        written = write_rejects(csv_path, m, report.rejected, folder / "rejects.csv")
    except BaseException:
        csv_path.unlink(missing_ok=True)
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
        raise
    csv_path.unlink()
    summary: dict[str, Any] = {
        **report.summary(),
        "rejects_written": written,
        "by": actor.name,
        "rejects": [
            {"line": e.line, "field": e.field, "reason": e.reason}
            for e in report.rejected[:SHOWN_REJECTS]
        ],
    }
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), "utf-8")
    return upload_id


def summary(upload_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_folder(upload_id) / "summary.json").read_text("utf-8"))
    return data


def rejects_path(upload_id: str) -> Path:
    return _folder(upload_id) / "rejects.csv"
