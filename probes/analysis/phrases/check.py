"""Check a checklist's phrase examples against its patterns (``audit checklists check``).

Every example must be found by its element's patterns and no ``not`` example may be, both
as typed (chat) and as heard (voice, with pinyin and the element's fuzzy threshold).
Examples that use a slot are checked with the seed's placeholder: company "XX".
Problems carry the file and line of the offending example.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checklists.loader import Problem
from checklists.phrases import Alt, Lit, Seq, escape, parse_pattern
from checklists.schema import Checklist
from checklists.yamlsrc import load_located
from probes.analysis.phrases.engine import Element, Text
from probes.analysis.phrases.normalise import flat

EXAMPLE_SLOTS = {"company": "XX"}


def _vanishing(node: Any) -> bool:
    """An alternative whose text folds to nothing (a filler such as 嘛 or 啊): it makes the
    group optional, which is rarely what the author meant."""
    return bool(node.items) and all(isinstance(i, Lit) and not flat(i.text) for i in node.items)


def _pattern_problems(patterns: tuple[str, ...], element: str) -> list[str]:
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Alt):
            for option in node.options:
                if _vanishing(option):
                    words = "".join(i.text for i in option.items if isinstance(i, Lit))
                    out.append(
                        f"{element}: alternative {words!r} is only fillers, which are ignored: "
                        "it makes its group optional (write [..] if that is meant)"
                    )
                walk(option)
        elif isinstance(node, Seq):
            for item in node.items:
                walk(item)

    for pattern in patterns:
        for parsed in parse_pattern(pattern):
            walk(parsed.body)
            lits = [i for i in parsed.body.items if isinstance(i, Lit)]
            if len(lits) == len(parsed.body.items) and not flat("".join(i.text for i in lits)):
                out.append(
                    f"{element}: pattern {parsed.source!r} is only fillers and matches nothing"
                )
    return out


def _path(where: tuple[Any, ...], key: str, k: int) -> tuple[Any, ...]:
    if where[0] == "data" and key == "examples":
        # A listed phrase's text is its first example.
        return (*where, "text") if k == 0 else (*where, "examples", k - 1)
    return (*where, key, k)


def _problems_of(element: Element, where: tuple[Any, ...], lines: Any, file: str) -> list[Problem]:
    out: list[Problem] = []
    key = (
        "match"
        if where[0] != "data" or element.patterns != (escape(str(element.label)),)
        else "text"
    )
    for message in _pattern_problems(element.patterns, element.name):
        out.append(Problem(file, lines.line_of((*where, key)), message))
    for key, items, want in (
        ("examples", element.examples, True),
        ("not", element.counter_examples, False),
    ):
        for k, example in enumerate(items):
            for mode in ("chat", "voice"):
                if want and mode == "voice":
                    continue  # what matches typed text also matches by sound
                hit = element.find(Text.of(example), mode=mode, slots=EXAMPLE_SLOTS, first=True)
                if bool(hit) != want:
                    line = lines.line_of(_path(where, key, k))
                    if want:
                        message = (
                            f"{element.name}: example {example!r} is not matched by any pattern"
                        )
                    else:
                        message = (
                            f"{element.name}: {example!r} must not match but pattern "
                            f"{hit[0].pattern!r} finds {hit[0].text!r}"
                            + (" by sound" if mode == "voice" else "")
                        )
                    out.append(Problem(file, line, message))
                    break
    return out


def example_problems(cl: Checklist, text: str, file: str) -> list[Problem]:
    """Examples that their patterns miss and counter-examples they catch."""
    located = load_located(text)
    problems: list[Problem] = []
    for si, section in enumerate(cl.sections):
        for ii, item in enumerate(section.items):
            for name, spec in item.phrases.items():
                where = ("sections", si, "items", ii, "phrases", name)
                problems += _problems_of(Element.of(name, spec), where, located, file)
    for list_name, entries in cl.data.items():
        for k, entry in enumerate(entries):
            problems += _problems_of(
                Element.of_entry(entry.text, entry), ("data", list_name, k), located, file
            )
    return sorted(set(problems))


def check_file(path: str | Path) -> list[Problem]:
    """Schema problems, or else example problems, of one checklist file."""
    from checklists.loader import validate_file

    cl, problems = validate_file(path)
    if cl is None:
        return problems
    return example_problems(cl, Path(path).read_text(encoding="utf-8"), str(path))
