"""The schema of a checklist YAML file (pydantic).

Field-level checks live here (so errors carry the exact path, hence the line); checks that
look across the whole checklist (duplicate ids, deductions summing to 100, bindings against
the measure registry) live in :mod:`checklists.validate`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from checklists.phrases import check_pattern
from checklists.rules import RuleError, parse_rule

Severity = Literal["veto", "critical", "minor"]
EvidenceKind = Literal["photo", "recording", "screenshot", "note"]
VenueKind = Literal["hotline", "web_chat", "chat_api", "business_hall", "agency_point", "info_line"]

Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
# A phrase pattern (syntax in checklists/phrases.py); checked where it is written, so a bad
# one is reported on its own line.
PatternText = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(check_pattern)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _without_empty(data: Any, keys: tuple[str, ...]) -> Any:
    # Leave unused phrase fields out of the stored form, so the content hash of a checklist
    # that uses none of them is what it was before they existed.
    if isinstance(data, dict):
        for key in keys:
            if key in data and not data[key]:
                del data[key]
    return data


class _Phrases(BaseModel):
    """Patterns with the examples that must match them and the near-misses that must not."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    match: list[PatternText] = Field(default_factory=list, max_length=200)
    examples: list[str] = Field(default_factory=list, max_length=200)
    not_: list[str] = Field(
        default_factory=list,
        alias="not",
        max_length=200,
        description="near-misses that must not match (hard negatives)",
    )
    fuzzy: int | None = Field(
        default=None,
        ge=50,
        le=100,
        description="voice transcripts: also accept a pinyin match scoring at least this "
        "(rapidfuzz, 0–100) — for company names and key phrases",
    )

    @field_validator("match", "examples", "not_", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _without_empty(handler(self), ("match", "examples", "not", "not_"))


class PhraseSpec(_Phrases):
    """One element an analyser looks for (salutation, offer of help, closing …)."""

    @model_validator(mode="after")
    def _has_patterns(self) -> PhraseSpec:
        if not self.match:
            raise ValueError("a phrase needs at least one pattern in 'match'")
        if not self.examples:
            raise ValueError("give the seed wording as the first of 'examples'")
        return self


class _Strict(BaseModel):
    # Unknown keys are typos until proven otherwise: reject them.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


# A seed file name ("004_82a5fe0d984026c6.txt") is for us; a legal document never prints it.
SEED_FILE_RE = re.compile(r"\d{3}_[0-9a-f]{6,}\.txt")
CITE_HINT = "e.g. 《电信服务质量监督抽查规定》第十条"


class Source(_Strict):
    """Where an item comes from: the machine reference (seed + section) and the human one."""

    seed: str = Field(pattern=r"^\d{3}_[0-9a-f]+\.txt$", description="seed file name")
    section: str = Field(min_length=1, description="section / article in the seed")
    cite: str | None = Field(
        default=None,
        min_length=3,
        max_length=300,
        description="legal basis as printed on notices: the regulation's or standard's name "
        "in 《》 and its article/section, " + CITE_HINT,
    )
    quote: str | None = Field(default=None, description="original wording, when useful")

    @field_validator("cite")
    @classmethod
    def _human_citation(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if SEED_FILE_RE.search(value):
            raise ValueError(f"a citation names the document, not a seed file ({CITE_HINT})")
        if "《" not in value or "》" not in value:
            raise ValueError(f"a citation names the regulation or standard in 《》 ({CITE_HINT})")
        return value


ParamValue = bool | int | float | str | list[str] | list[int] | list[float] | None


class MeasureBinding(_Strict):
    """How an automated probe judges the item: a measure, a rule and protocol parameters."""

    measure: str = Field(min_length=1)
    rule: str = Field(min_length=1)
    params: dict[str, ParamValue] = Field(default_factory=dict)
    data: list[str] = Field(
        default_factory=list, description="names of the checklist's data lists the probe uses"
    )

    @field_validator("rule")
    @classmethod
    def _rule_parses(cls, value: str) -> str:
        try:
            parse_rule(value)
        except RuleError as exc:
            raise ValueError(f"bad rule syntax: {exc}") from exc
        return value


class Item(_Strict):
    id: Ident
    text: Text
    severity: Severity
    # No default: every item must state its deduction (veto items state 0).
    deduction: Decimal = Field(ge=0, le=100, decimal_places=2)
    na_allowed: bool = False
    evidence_required: list[EvidenceKind] = Field(
        default_factory=list, description="all of these are needed when the item fails"
    )
    source: Source
    measure: MeasureBinding | None = None
    guidance: Text | None = None
    phrases: dict[Ident, PhraseSpec] = Field(
        default_factory=dict, description="the wording the item's analyser looks for"
    )

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _without_empty(handler(self), ("phrases",))


class Section(_Strict):
    id: Ident
    title: Text
    items: list[Item] = Field(min_length=1)


class DataEntry(_Phrases):
    """A listed phrase; in a list an analyser matches (forbidden phrases, taboos) its
    ``match`` patterns are used, or else ``text`` itself, which is always its first example."""

    text: str = Field(min_length=1)
    category: str | None = None
    ref: str | None = Field(default=None, description="where in the seed")

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        # A bare string is shorthand for {text: ...}.
        return {"text": value} if isinstance(value, str) else value


class Checklist(_Strict):
    id: Ident
    version: int = Field(ge=1)
    title: Text
    description: Text | None = None
    applies_to: list[VenueKind] = Field(min_length=1)
    pass_mark: Decimal = Field(ge=0, le=100, decimal_places=2)
    sections: list[Section] = Field(min_length=1)
    data: dict[str, list[DataEntry]] = Field(default_factory=dict)

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item | None:
        for item in self.items():
            if item.id == item_id:
                return item
        return None

    def canonical(self) -> dict[str, Any]:
        """JSON-ready form used for hashing and storing a pinned version."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)
