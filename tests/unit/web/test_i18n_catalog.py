"""Every UI string goes through gettext and has its zh-CN translation: the strings extracted
from the code and templates (as `make i18n` does) must all be translated in the catalogue, and
the compiled catalogue must be current."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "audit/web/locale/zh_CN/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}


def _extracted() -> set[str]:
    ids: set[str] = set()
    method_map = [("audit/web/**.py", "python"), ("audit/web/templates/**.j2", "jinja2")]
    options = {"audit/web/templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map, options, keywords=KEYWORDS
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def _key(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _done(string: str | tuple[str, ...]) -> bool:
    """Translated: a non-empty string, or every plural form non-empty."""
    return bool(string) and (isinstance(string, str) or all(string))


def _flat(string: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (string,) if isinstance(string, str) else tuple(string)


def test_every_ui_string_has_a_chinese_translation() -> None:
    with PO.open("rb") as f:
        catalog = read_po(f)
    translated = {
        _key(m.id) for m in catalog if m.id and _done(m.string) and "fuzzy" not in m.flags
    }
    missing = sorted(_extracted() - translated)
    assert missing == [], f"untranslated (run `make i18n`, then translate): {missing}"


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with PO.open("rb") as f:
        po = {
            _key(m.id): _flat(m.string)
            for m in read_po(f)
            if m.id and _done(m.string) and "fuzzy" not in m.flags
        }
    with MO.open("rb") as f:
        mo = {_key(m.id): _flat(m.string) for m in read_mo(f) if m.id}
    assert mo == po, "stale messages.mo: run `make setup` (pybabel compile)"


def test_templates_translate_through_the_request_language() -> None:
    from audit.web.i18n import gettext, language_var

    token = language_var.set("zh-CN")
    try:
        assert gettext("Log in") == "登录"
        language_var.set("en")
        assert gettext("Log in") == "Log in"
    finally:
        language_var.reset(token)
