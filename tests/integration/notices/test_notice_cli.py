"""`audit notices verify FILE` exits 0 only for authentic; `audit notices demo` signs four."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from audit.domain.notices import issuing
from tests.integration.notices.notice_helpers import issued_notice

AUDIT = str(Path(sys.executable).parent / "audit")


async def _run(*args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        AUDIT,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=dict(os.environ),
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    return proc.returncode or 0, out.decode()


async def test_verify_exit_codes(cast: Any, tmp_path: Path) -> None:
    n = await issued_notice(cast)
    good = issuing.pdf_file(n)
    code, out = await _run("notices", "verify", str(good))
    assert code == 0, out
    assert '"status": "authentic"' in out and n["number"] in out

    data = good.read_bytes()
    i = data.find(b"service-quality-audit")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(data[:i] + b"S" + data[i + 1 :])
    code, out = await _run("notices", "verify", str(bad))
    assert code == 1 and '"status": "tampered"' in out

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"hello")
    code, out = await _run("notices", "verify", str(junk))
    assert code == 1 and '"status": "unknown"' in out

    code, out = await _run("notices", "verify", str(tmp_path / "missing.pdf"))
    assert code == 2 and "cannot read" in out


async def test_demo_renders_and_signs_each_type(tmp_path: Path) -> None:
    code, out = await _run("notices", "demo", "--out", str(tmp_path))
    assert code == 0, out
    pdfs = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert pdfs == [
        "closing_letter.pdf",
        "findings_report.pdf",
        "overdue_followup.pdf",
        "public_notice.pdf",
        "rectification.pdf",
        "self_inspection.pdf",
    ]
    for p in tmp_path.glob("*.pdf"):
        proc = await asyncio.create_subprocess_exec(
            "pdfsig", str(p), stdout=asyncio.subprocess.PIPE
        )
        sig, _ = await proc.communicate()
        assert b"Signature is Valid." in sig, p
    assert "TEST — not valid for enforcement" in out
