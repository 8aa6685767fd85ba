"""Column mappings: how a CSV layout becomes canonical complaint fields (data, not code).

The canonical layout (issue 7) is ``external_id, operator, region, issue, received_at, channel,
summary`` (+ optional ``text``; ``contact`` is read when the header has it). Any other layout is described by a YAML file, e.g.::

    name: comcast_telecom_complaints_2015
    source: comcast-2015          # external ids are unique per source
    encoding: utf-8-sig
    fields:
      external_id: {column: "Ticket #"}
      operator: {value: Comcast}
      region: {columns: [City, State], join: ", "}   # composed field
      received_at: {column: Date, formats: ["%d-%m-%y"]}
      issue: {classify: ["Customer Complaint"]}      # from the keyword classifier
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from audit.domain.complaints.taxonomy import DataFileError, load_yaml_file

FIELDS = ("external_id", "operator", "region", "issue", "received_at", "channel", "summary", "text",
          "contact")  # fmt: skip
CANONICAL_COLUMNS = FIELDS[:7]
# Read when the header has it, otherwise empty (the complainant's phone or e-mail, issue 20).
OPTIONAL_COLUMNS = ("contact",)
REQUIRED = ("external_id", "operator", "region", "issue", "received_at")
MAPPINGS_DIR = Path(__file__).parent / "mappings"


class FieldSpec(BaseModel):
    """Where one canonical field comes from: a column, several joined, a constant, or rules."""

    model_config = ConfigDict(extra="forbid")
    column: str | None = None
    columns: list[str] | None = Field(default=None, min_length=1)
    join: str = " "
    value: str | None = None
    formats: list[str] = []  # strptime patterns, received_at only; empty ⇒ ISO
    timezone: str | None = None  # zone of naive timestamps in the source, received_at only
    classify: list[str] | None = Field(default=None, min_length=1)  # issue only
    optional: bool = False  # the column may be absent from the file: the field is then empty

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        given = sum(x is not None for x in (self.column, self.columns, self.value))
        if given > 1:
            raise ValueError("give only one of column, columns, value")
        if given == 0 and self.classify is None:
            raise ValueError("give one of column, columns, value (or classify for issue)")
        return self

    def source_columns(self) -> list[str]:
        cols = [self.column] if self.column else list(self.columns or [])
        return cols + list(self.classify or [])


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    source: str = Field(default="default", min_length=1, max_length=64)
    encoding: str = "utf-8-sig"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    fields: dict[
        Literal[
            "external_id",
            "operator",
            "region",
            "issue",
            "received_at",
            "channel",
            "summary",
            "text",
            "contact",
        ],
        FieldSpec,
    ]

    @model_validator(mode="after")
    def _complete(self) -> Mapping:
        missing = [f for f in REQUIRED if f not in self.fields]
        if missing:
            raise ValueError(f"fields missing: {', '.join(missing)}")
        for name, spec in self.fields.items():
            if spec.classify is not None and name != "issue":
                raise ValueError(f"fields.{name}: classify is only allowed for issue")
            if (spec.formats or spec.timezone) and name != "received_at":
                raise ValueError(f"fields.{name}: formats/timezone only apply to received_at")
        return self

    def referenced_columns(self) -> list[str]:
        seen: dict[str, None] = {}
        for spec in self.fields.values():
            if spec.optional:
                continue
            for c in spec.source_columns():
                seen[c] = None
        return list(seen)


def canonical_mapping(source: str = "default", with_text: bool = False) -> Mapping:
    """The built-in mapping of the canonical layout; a blank issue is classified from the text."""
    fields: dict[str, FieldSpec] = {c: FieldSpec(column=c) for c in CANONICAL_COLUMNS}
    classify_from = ["summary", "text"] if with_text else ["summary"]
    fields["issue"] = FieldSpec(column="issue", classify=classify_from)
    if with_text:
        fields["text"] = FieldSpec(column="text")
    fields["contact"] = FieldSpec(column="contact", optional=True)
    return Mapping.model_validate({"name": "canonical", "source": source, "fields": fields})


def load_mapping(path: Path) -> Mapping:
    data = load_yaml_file(Path(path))
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        parts = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise DataFileError(f"{path}: " + "; ".join(parts)) from exc
