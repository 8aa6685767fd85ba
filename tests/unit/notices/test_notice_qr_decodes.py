"""The QR code on a rendered notice decodes to the verification URL (zbarimg reads it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from audit.notices import charts, demo
from audit.notices.models import NoticeType
from audit.notices.qr import qr_drawing
from audit.notices.render import render_notice

ZBAR = shutil.which("zbarimg")
needs_zbar = pytest.mark.skipif(ZBAR is None, reason="zbarimg (Debian zbar-tools) not installed")


@needs_zbar
def test_qr_on_page_decodes_to_verify_url(tmp_path: Path) -> None:
    url = "https://notices.example.gov.cn/verify/Abc-123_xyz"
    meta = demo.demo_meta(NoticeType.public_notice).model_copy(
        update={"verify_url": url, "token": "Abc-123_xyz"}
    )
    out = render_notice(NoticeType.public_notice, meta, demo.public_notice())
    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(out.pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "p")], check=True)
    page = sorted(tmp_path.glob("p*.png"))[-1]
    done = subprocess.run([str(ZBAR), "-q", "--raw", str(page)], capture_output=True, text=True)
    assert done.stdout.strip() == url


def test_qr_drawing_renders_to_svg() -> None:
    svg = charts.to_svg(qr_drawing("https://example.org/verify/x", size=80))
    assert "<svg" in svg and svg.count("<rect") > 50
