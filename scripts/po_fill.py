"""Fill empty msgstrs of the zh_CN catalogue from a TSV (msgid<TAB>translation), e.g. after
`make i18n`. A plural entry is matched by its singular id (Chinese has one plural form)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "audit/web/locale/zh_CN/LC_MESSAGES/messages.po"


def main(tsv: str) -> int:
    pairs = dict(
        line.split("\t", 1)
        for line in Path(tsv).read_text(encoding="utf-8").splitlines()
        if "\t" in line
    )
    with PO.open("rb") as f:
        catalog = read_po(f)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        empty = not message.string or (
            isinstance(message.string, tuple) and not any(message.string)
        )
        if not empty:
            continue
        if key in pairs:
            text = pairs[key].strip()
            message.string = text if isinstance(message.id, str) else (text,)
            message.flags.discard("fuzzy")
        else:
            missing.append(key)
    with PO.open("wb") as f:
        write_po(f, catalog, width=100, sort_output=True, include_previous=False)
    for key in missing:
        print(f"untranslated: {key!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
