"""Per-issue trigger rules and the issue → checklist map, both loaded from YAML data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from audit.domain.complaints.taxonomy import DataFileError, load_yaml_file
from audit.domain.complaints.trigger import TriggerRule

HERE = Path(__file__).parent


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    threshold: int = Field(default=3, ge=1, le=1000)
    window_months: int = Field(default=1, ge=1, le=24)


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default: _Rule = _Rule()
    issues: dict[str, _Rule] = {}


class RuleSet:
    def __init__(self, default: TriggerRule, per_issue: dict[str, TriggerRule]) -> None:
        self.default = default
        self.per_issue = per_issue

    def for_issue(self, issue: str) -> TriggerRule:
        return self.per_issue.get(issue, self.default)


class ChecklistMap(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: str = Field(default="covert", pattern="^(open|covert)$")
    sampling: str = Field(default="targeted", pattern="^(comprehensive|random|targeted)$")
    issues: dict[str, list[str]]
    unmapped: list[str] = Field(min_length=1)

    def checklists_for(self, issue: str) -> list[str]:
        return self.issues.get(issue, self.unmapped)


def _fail(path: Path, exc: ValidationError) -> DataFileError:
    parts = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return DataFileError(f"{path}: " + "; ".join(parts))


def load_rules(path: Path = HERE / "rules.yaml") -> RuleSet:
    try:
        model = _Rules.model_validate(load_yaml_file(path) or {})
    except ValidationError as exc:
        raise _fail(path, exc) from exc
    to_rule = lambda r: TriggerRule(r.threshold, r.window_months)  # noqa: E731
    return RuleSet(to_rule(model.default), {k: to_rule(v) for k, v in model.issues.items()})


def load_checklist_map(path: Path = HERE / "checklist_map.yaml") -> ChecklistMap:
    try:
        return ChecklistMap.model_validate(load_yaml_file(path))
    except ValidationError as exc:
        raise _fail(path, exc) from exc


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    return load_rules()


@lru_cache(maxsize=1)
def default_checklist_map() -> ChecklistMap:
    return load_checklist_map()
