"""poppler command-line helpers for the notice tests (pdftotext, pdfsig)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        cmd = [tool, *args, fh.name] + (["-"] if tool == "pdftotext" else [])
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def pdftotext(
    pdf: bytes, first: int | None = None, last: int | None = None, *, raw: bool = False
) -> str:
    """The PDF's text; ``raw`` keeps content-stream order (a table cell's lines stay together)."""
    args = ["-enc", "UTF-8"] + (["-raw"] if raw else [])
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    return _poppler("pdftotext", pdf, *args)


def pdfsig(pdf: bytes) -> str:
    # pdfsig exits 0 for valid and broken signatures alike: callers read the output
    return _poppler("pdfsig", pdf)


def flip_byte(pdf: bytes, marker: bytes = b"service-quality-audit") -> bytes:
    """Change one byte inside the signed range (in the document's Creator string)."""
    i = pdf.find(marker)
    assert i > 0, "marker not found"
    return pdf[:i] + bytes([pdf[i] ^ 0x20]) + pdf[i + 1 :]


def write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p
