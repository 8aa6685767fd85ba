"""The embedded CJK font for notices.

reportlab's CID fonts (STSong-Light) embed nothing, so a reader without a CJK font shows
blanks; an archival notice must carry its glyphs. WenQuanYi Zen Hei is a TrueType collection
reportlab can subset and embed (Noto CJK is CFF-based: "postscript outlines are not
supported"). See engineering notes, "PDFs and signatures".
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "WQY"
# Zen Hei has no bold cut; a second registration would embed a second subset of the same
# glyphs (≈ +3 ms and +20 KB a document), so "bold" text uses the same face, set larger.
FONT_BOLD = FONT_NAME
DEFAULT_FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

_lock = threading.Lock()
_registered = False


class FontMissingError(RuntimeError):
    """The CJK font file is not installed where we look for it."""


def font_path() -> Path:
    return Path(os.environ.get("AUDIT_NOTICE_FONT", str(DEFAULT_FONT_PATH)))


def _memoize_tables(font: TTFont) -> None:
    """Make the face return each font table from a cache.

    reportlab builds one subset per 256 glyphs (a Chinese page needs two or more) and each
    subset copies whole tables out of the 17 MB collection with ``get_table`` — 'glyf' alone
    is megabytes, ~2.5 ms a copy. Tables are immutable bytes, so one copy serves all.
    """
    face = font.face
    original = face.get_table
    tables: dict[str, bytes] = {}

    def get_table(tag: str) -> bytes:
        found = tables.get(tag)
        if found is None:
            found = tables[tag] = original(tag)
        return found

    face.get_table = get_table


def register_fonts() -> str:
    """Register the CJK font once per process (a one-off ~0.13 s) and return its name."""
    global _registered
    if _registered:
        return FONT_NAME
    with _lock:
        if _registered:
            return FONT_NAME
        path = font_path()
        if not path.is_file():
            raise FontMissingError(
                f"CJK font not found at {path}: install fonts-wqy-zenhei "
                "or set AUDIT_NOTICE_FONT to a TrueType (not CFF) CJK font"
            )
        font = TTFont(FONT_NAME, str(path), subfontIndex=0)
        _memoize_tables(font)
        pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(
            FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME
        )
        _registered = True
    return FONT_NAME
