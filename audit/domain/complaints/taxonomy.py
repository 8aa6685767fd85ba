"""Issue taxonomy and keyword classifier, both loaded from YAML data in this package."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checklists.yamlsrc import YamlSyntaxError, safe_load_file

HERE = Path(__file__).parent
TAXONOMY_FILE = HERE / "taxonomy.yaml"
RULES_FILE = HERE / "classifier_rules.yaml"


class DataFileError(ValueError):
    """A taxonomy/rules/mapping file is malformed; the message names the file and field."""


def _norm(text: str) -> str:
    return " ".join(text.strip().casefold().split())


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


class TaxonomyModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    categories: list[Category] = Field(min_length=1)


class Taxonomy:
    """Categories with a case-insensitive lookup over codes, labels and aliases."""

    def __init__(self, model: TaxonomyModel, source: str = "<data>") -> None:
        self.version = model.version
        self.categories: dict[str, Category] = {}
        self._lookup: dict[str, str] = {}
        for cat in model.categories:
            if cat.code in self.categories:
                raise DataFileError(f"{source}: category {cat.code!r} is defined twice")
            self.categories[cat.code] = cat
        for cat in model.categories:
            for name in (cat.code, cat.zh, cat.en, *cat.aliases):
                key = _norm(name)
                other = self._lookup.get(key)
                if other is not None and other != cat.code:
                    raise DataFileError(
                        f"{source}: name {name!r} points to both {other!r} and {cat.code!r}"
                    )
                self._lookup[key] = cat.code

    def resolve(self, name: str) -> str | None:
        """The category code for a code, label or alias; None when unknown."""
        return self._lookup.get(_norm(name))

    @property
    def codes(self) -> list[str]:
        return list(self.categories)


def load_yaml_file(path: Path) -> object:
    """A complaints data file (taxonomy, rules, mapping) through the one safe YAML loader."""
    try:
        return safe_load_file(path)
    except YamlSyntaxError as exc:
        raise DataFileError(str(exc)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: {exc}") from exc


def _errors(path: Path, exc: ValidationError) -> DataFileError:
    parts = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return DataFileError(f"{path}: " + "; ".join(parts))


def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    try:
        model = TaxonomyModel.model_validate(load_yaml_file(path))
    except ValidationError as exc:
        raise _errors(path, exc) from exc
    return Taxonomy(model, str(path))


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return load_taxonomy()


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: str
    weight: int = Field(default=1, ge=1)
    keywords: list[str] = Field(min_length=1)

    @field_validator("keywords")
    @classmethod
    def _non_blank(cls, v: list[str]) -> list[str]:
        if any(not str(k).strip() for k in v):
            raise ValueError("keywords must not be blank")
        return [str(k) for k in v]


class RulesModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    fallback: str
    rules: list[Rule] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Classification:
    """What the classifier decided, kept with the complaint so the choice can be reviewed."""

    category: str
    matched: tuple[str, ...]  # keywords found for the winning category; empty ⇒ fallback
    score: int
    rules_version: int

    @property
    def fallback(self) -> bool:
        return not self.matched


class Classifier:
    """Keyword rules → category. Ties go to the rule listed first."""

    def __init__(self, model: RulesModel, taxonomy: Taxonomy, source: str = "<data>") -> None:
        self.version = model.version
        for r in model.rules:
            if r.category not in taxonomy.categories:
                raise DataFileError(f"{source}: rule category {r.category!r} is not in taxonomy")
        if model.fallback not in taxonomy.categories:
            raise DataFileError(f"{source}: fallback {model.fallback!r} is not in taxonomy")
        self.fallback = model.fallback
        self._rules: list[tuple[str, int, list[tuple[str, re.Pattern[str]]]]] = []
        for r in model.rules:
            pats = [(k, _keyword_pattern(k)) for k in r.keywords]
            self._rules.append((r.category, r.weight, pats))

    def classify(self, text: str) -> Classification:
        folded = text.casefold()
        best: tuple[int, str, tuple[str, ...]] | None = None
        for category, weight, pats in self._rules:
            hits = tuple(k for k, pat in pats if pat.search(folded))
            if not hits:
                continue
            score = weight * len(hits)
            if best is None or score > best[0]:
                best = (score, category, hits)
        if best is None:
            return Classification(self.fallback, (), 0, self.version)
        return Classification(best[1], best[2], best[0], self.version)


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    k = keyword.casefold().strip()
    if k.isascii():
        # Word-start match, so "cap" finds "caps" but not "escape".
        return re.compile(r"(?<![a-z0-9])" + re.escape(k))
    return re.compile(re.escape(k))


def load_classifier(path: Path = RULES_FILE, taxonomy: Taxonomy | None = None) -> Classifier:
    try:
        model = RulesModel.model_validate(load_yaml_file(path))
    except ValidationError as exc:
        raise _errors(path, exc) from exc
    return Classifier(model, taxonomy or default_taxonomy(), str(path))


@lru_cache(maxsize=1)
def default_classifier() -> Classifier:
    return load_classifier()
