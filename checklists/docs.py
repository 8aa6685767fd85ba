"""Render one Markdown page per shipped checklist (``python -m checklists.docs [OUT_DIR]``).

The pages in docs/checklists/ are generated from the YAML so they cannot drift from it; a unit
test fails when a page is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from checklists.loader import CHECKLIST_DIR, checklist_files, load_checklist
from checklists.schema import Checklist, Item

DOCS_DIR = CHECKLIST_DIR.parent / "docs" / "checklists"
SEVERITY = {"veto": "否决 veto", "critical": "关键 critical", "minor": "一般 minor"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _binding(item: Item) -> str:
    if item.measure is None:
        return "manual"
    parts = [f"`{item.measure.rule}`"]
    if item.measure.params:
        params = ", ".join(f"{k}={v}" for k, v in item.measure.params.items())
        parts.append(f"params: {params}")
    if item.measure.data:
        parts.append("data: " + ", ".join(item.measure.data))
    return "<br>".join(_cell(p) for p in parts)


def render(cl: Checklist, source_name: str) -> str:
    lines = [
        f"# {cl.title.zh} — {cl.title.en}",
        "",
        f"Generated from `checklists/{source_name}` by `python -m checklists.docs`; do not edit.",
        "",
        f"- id `{cl.id}`, version {cl.version}",
        f"- applies to: {', '.join(cl.applies_to)}",
        f"- pass mark: {cl.pass_mark} (score starts at 100; failed items subtract their "
        "deduction; a failed veto item scores 0; N/A items are removed and the score rescaled)",
    ]
    if cl.description:
        lines += ["", f"{cl.description.zh}", "", f"{cl.description.en}"]
    for section in cl.sections:
        lines += [
            "",
            f"## {section.title.zh} — {section.title.en}",
            "",
            "| item | what it checks | severity | deduction | N/A | evidence on failure | "
            "legal basis · seed rule | automated judgement |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for item in section.items:
            source = f"{item.source.seed} {item.source.section}"
            if item.source.quote:
                source += f": “{item.source.quote}”"
            if item.source.cite:  # what notices print; the seed reference is for us
                source = f"{item.source.cite}<br>{source}"
            lines.append(
                "| "
                + " | ".join(
                    [
                        f"`{item.id}`",
                        _cell(f"{item.text.zh}<br>{item.text.en}"),
                        SEVERITY[item.severity],
                        str(item.deduction),
                        "yes" if item.na_allowed else "no",
                        ", ".join(item.evidence_required) or "—",
                        _cell(source),
                        _binding(item),
                    ]
                )
                + " |"
            )
    phrase_items = [item for item in cl.items() if item.phrases]
    if phrase_items:
        lines += [
            "",
            "## Phrases — 用语",
            "",
            "What the analysers look for (pattern syntax: docs/checklists/README.md). The first "
            "example is the seed's wording; `not` lists near-misses that must not match.",
        ]
    for item in phrase_items:
        lines += ["", f"### `{item.id}`", "", "| element | patterns | examples | not | fuzzy |"]
        lines.append("|---|---|---|---|---|")
        for name, spec in item.phrases.items():
            cells = [
                f"`{name}`",
                "<br>".join(f"`{_cell(p)}`" for p in spec.match),
                "<br>".join(_cell(e) for e in spec.examples),
                "<br>".join(_cell(e) for e in spec.not_) or "—",
                str(spec.fuzzy) if spec.fuzzy is not None else "—",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    for name, entries in cl.data.items():
        lines += ["", f"## Data: `{name}`", ""]
        for entry in entries:
            extra = " · ".join(x for x in (entry.category, entry.ref) if x)
            pattern = " — " + ", ".join(f"`{p}`" for p in entry.match) if entry.match else ""
            lines.append(f"- {entry.text}" + (f" ({extra})" if extra else "") + pattern)
    return "\n".join(lines) + "\n"


def page_name(path: Path) -> str:
    return path.stem + ".md"


def generate(out_dir: Path = DOCS_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in checklist_files(CHECKLIST_DIR):
        target = out_dir / page_name(path)
        target.write_text(render(load_checklist(path), path.name), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for written_path in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS_DIR):
        print(written_path)
