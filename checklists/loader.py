"""Load and validate checklist YAML files, reporting every problem as ``file:line: message``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from checklists.measures import MEASURES
from checklists.rules import check_rule, parse_rule, walk_comparisons
from checklists.schema import CITE_HINT, Checklist, MeasureBinding
from checklists.yamlsrc import MAX_BYTES, Located, YamlSyntaxError, load_located

CHECKLIST_DIR = Path(__file__).resolve().parent
_MEASURE_TYPES = {name: kind for name, (kind, _meaning) in MEASURES.items()}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ChecklistError(ValueError):
    """One or more checklist files are invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _path_text(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _schema_problems(exc: ValidationError, located: Located, file: str) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = _path_text(loc) or "(top level)"
        if err["type"] == "missing":
            message = f"{where}: missing required field {loc[-1]!r}"
        elif err["type"] == "extra_forbidden":
            message = f"{where}: unknown field {loc[-1]!r}"
        elif err["type"].startswith("literal_error") or err["type"] == "enum":
            message = f"{where}: {err['msg']} (got {err['input']!r})"
        else:
            message = f"{where}: {err['msg'].removeprefix('Value error, ')}"
        problems.append(Problem(file, located.line_of(loc), message))
    return sorted(set(problems))


_Add = Callable[[tuple[Any, ...], str], None]


def _semantic_problems(
    cl: Checklist, located: Located, file: str, *, require_cite: bool = True
) -> list[Problem]:
    """Checks across items: ids, deductions, citations, bindings against the measure registry."""
    out: list[Problem] = []

    def add(path: tuple[Any, ...], message: str) -> None:
        out.append(Problem(file, located.line_of(path), message))

    seen_sections: set[str] = set()
    seen_items: dict[str, str] = {}
    seen_phrases: dict[str, str] = {}
    total = Decimal(0)
    for si, section in enumerate(cl.sections):
        if section.id in seen_sections:
            add(("sections", si, "id"), f"duplicate section id {section.id!r}")
        seen_sections.add(section.id)
        for ii, item in enumerate(section.items):
            base = ("sections", si, "items", ii)
            if item.id in seen_items:
                first = seen_items[item.id]
                add((*base, "id"), f"duplicate item id {item.id!r} (first in {first})")
            else:
                seen_items[item.id] = f"section {section.id!r}"
            if item.severity == "veto" and item.deduction != 0:
                add(
                    (*base, "deduction"),
                    f"{item.id}: a veto item scores 0; its deduction must be 0",
                )
            if item.severity != "veto":
                if item.deduction <= 0:
                    add(
                        (*base, "deduction"), f"{item.id}: a {item.severity} item needs a deduction"
                    )
                total += item.deduction
            if require_cite and item.source.cite is None:
                add(
                    (*base, "source"),
                    f"{item.id}: source needs a cite: the legal basis printed on notices, "
                    f"{CITE_HINT}",
                )
            if item.measure is not None:
                _binding_problems(cl, item.id, item.measure, (*base, "measure"), add)
            for name in item.phrases:
                if name in seen_phrases:
                    # The analysers look elements up by name across the whole checklist.
                    add(
                        (*base, "phrases", name),
                        f"{item.id}: phrase {name!r} is already defined in {seen_phrases[name]}",
                    )
                else:
                    seen_phrases[name] = f"item {item.id!r}"
    if total != 100:
        add(("sections",), f"deductions of non-veto items must sum to 100 (they sum to {total})")
    return out


def _binding_problems(
    cl: Checklist, item_id: str, binding: MeasureBinding, path: tuple[Any, ...], add: _Add
) -> None:
    if binding.measure not in MEASURES:
        add((*path, "measure"), f"{item_id}: binding to unknown measure {binding.measure!r}")
    for message in check_rule(binding.rule, _MEASURE_TYPES, binding.params):
        add((*path, "rule"), f"{item_id}: {message}")
    names = {c.measure for c in walk_comparisons(parse_rule(binding.rule))}
    if binding.measure not in names:
        add((*path, "rule"), f"{item_id}: rule does not use the bound measure {binding.measure!r}")
    for di, name in enumerate(binding.data):
        if name not in cl.data:
            add((*path, "data", di), f"{item_id}: unknown data list {name!r}")


def validate_text(
    text: str, file: str, *, require_cite: bool = True
) -> tuple[Checklist | None, list[Problem]]:
    """Parse and check one checklist text. Returns the checklist (if valid) and the problems.

    ``require_cite=False`` only for versions stored before items carried a human citation.
    """
    try:
        located = load_located(text)
    except YamlSyntaxError as exc:
        return None, [Problem(file, exc.line, f"YAML syntax: {exc.message}")]
    problems = [
        Problem(file, line, f"{_path_text(path)}: duplicate key {path[-1]!r}")
        for path, line in located.duplicate_keys
    ]
    if not isinstance(located.data, dict):
        return None, [*problems, Problem(file, 1, "a checklist file must be a mapping")]
    try:
        cl = Checklist.model_validate(located.data)
    except ValidationError as exc:
        return None, sorted([*problems, *_schema_problems(exc, located, file)])
    problems.extend(_semantic_problems(cl, located, file, require_cite=require_cite))
    return (None if problems else cl), sorted(set(problems))


def validate_file(path: str | Path) -> tuple[Checklist | None, list[Problem]]:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:  # not even read
            return None, [Problem(str(path), 1, f"larger than {MAX_BYTES} bytes")]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), 1, f"cannot read: {exc}")]
    return validate_text(text, str(path))


def load_checklist(path: str | Path) -> Checklist:
    """Load one checklist file; raises :class:`ChecklistError` listing every problem."""
    cl, problems = validate_file(path)
    if cl is None:
        raise ChecklistError(problems)
    return cl


def checklist_files(directory: str | Path = CHECKLIST_DIR) -> list[Path]:
    return sorted(Path(directory).glob("*.yaml"))


def located_line(path: Path, key: str) -> int:
    """Line of a top-level ``key`` in a file known to be valid."""
    return load_located(path.read_text(encoding="utf-8")).lines.get((key,), 1)


def load_all(directory: str | Path = CHECKLIST_DIR) -> dict[str, Checklist]:
    """Every ``*.yaml`` in ``directory`` by checklist id; all problems are raised together."""
    found: dict[str, Checklist] = {}
    where: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in checklist_files(directory):
        cl, file_problems = validate_file(path)
        problems.extend(file_problems)
        if cl is None:
            continue
        if cl.id in found:
            message = f"checklist id {cl.id!r} also defined in {where[cl.id]}"
            problems.append(Problem(str(path), located_line(path, "id"), message))
            continue
        found[cl.id], where[cl.id] = cl, path
    if problems:
        raise ChecklistError(problems)
    return found


def content_hash(cl: Checklist) -> str:
    """SHA-256 of the canonical JSON form: equal content ⇔ equal hash."""
    blob = json.dumps(cl.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def checklist_from_data(data: dict[str, Any]) -> Checklist:
    """Rebuild a stored (pinned) checklist; raises :class:`ChecklistError` if it is invalid."""
    # versions pinned before the ``cite`` field existed stay readable (scores must reproduce)
    cl, problems = validate_text(
        json.dumps(data, ensure_ascii=False), "<stored>", require_cite=False
    )
    if cl is None:
        raise ChecklistError(problems)
    return cl
