"""The verification URL under the QR code is whole, never inside the signature box, and never
wraps mid-token — tokens with "-" included; identifiers in table cells stay whole too
(issue 16 item 19). Checked on the signed PDF with poppler (text and word boxes)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass

import pytest

from audit.notices import demo, sign
from audit.notices.fit import fit_url
from audit.notices.fonts import register_fonts
from audit.notices.layout import PAGE_H
from audit.notices.models import NoticeType
from audit.notices.render import render_notice
from tests.unit.notices.pdftools import pdftotext

TOKENS = [
    "Lc-4xQ_9z-Tk2-Ww7_dash-",  # ends with "-": pdftotext joins such a line with the next
    "-starts-with-a-dash-and-is-forty-chars-",
    "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t",
    "AbCdEfGhIjKlMnOpQrStUvWx",
]
LONG_BASE = "https://service-quality-verification.example-province.gov.cn/public/notices"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def words(pdf: bytes, page: int) -> list[Word]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), fh.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    pat = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        Word(t.replace("&amp;", "&"), float(a), float(b), float(c), float(d))
        for a, b, c, d, t in re.findall(pat, out)
    ]


def _signed(signer: sign.NoticeSigner, base: str, token: str) -> tuple[bytes, int, tuple]:
    ntype = NoticeType.rectification
    meta = demo.demo_meta(ntype, token=token, base_url=base)
    r = render_notice(ntype, meta, demo.rectification(long=False))
    return signer.sign(r.pdf, r.sig_page, r.sig_box), r.sig_page, r.sig_box


@pytest.mark.parametrize("token", TOKENS)
def test_url_is_one_line_left_of_the_signature_box(signer: sign.NoticeSigner, token: str) -> None:
    base = "https://testserver.local"
    pdf, page, (bx0, by0, bx1, by1) = _signed(signer, base, token)
    url = f"{base}/verify/{token}"
    lines = pdftotext(pdf).splitlines()
    assert url in lines, [x for x in lines if "verify" in x]  # whole, on its own line
    found = [w for w in words(pdf, page + 1) if "/verify/" in w.text]
    assert [w.text for w in found] == [url]
    w = found[0]
    box_top, box_bottom = PAGE_H - by1, PAGE_H - by0  # poppler measures from the top
    vertically_level = w.bottom > box_top and w.top < box_bottom
    assert vertically_level  # the URL sits beside the box …
    assert w.x1 <= bx0 - 4, (w, (bx0, by0, bx1, by1))  # … and ends before it


@pytest.mark.parametrize("token", TOKENS[:2])
def test_long_address_breaks_only_at_slashes(signer: sign.NoticeSigner, token: str) -> None:
    pdf, page, (bx0, _, _, _) = _signed(signer, LONG_BASE, token)
    url = f"{LONG_BASE}/verify/{token}"
    lines = pdftotext(pdf, raw=True).splitlines()
    first = next(i for i, x in enumerate(lines) if x.startswith("https://"))
    taken, joined = [], ""
    for line in lines[first:]:
        taken.append(line)
        joined += line
        if len(joined) >= len(url):
            break
    assert joined == url, taken
    assert len(taken) > 1 and taken[-1].endswith(token)  # the token is never split
    assert all(x.endswith("/") for x in taken[:-1]), taken  # breaks only after a slash
    boxes = [w for w in words(pdf, page + 1) if w.text in taken]
    assert len(boxes) == len(taken) and all(w.x1 <= bx0 - 4 for w in boxes)


def test_fit_url_never_breaks_the_token() -> None:
    font = register_fonts()
    token = "x-y-z-" * 6 + "end"
    for width in (60.0, 90.0, 150.0, 400.0):
        size, lines = fit_url(f"{LONG_BASE}/verify/{token}", font, width)
        assert lines[-1].endswith(token) and "".join(lines) == f"{LONG_BASE}/verify/{token}"
        assert size >= 1


def test_evidence_numbers_in_cells_stay_whole(signer: sign.NoticeSigner) -> None:
    ntype = NoticeType.rectification
    content = demo.rectification(long=False)
    r = render_notice(ntype, demo.demo_meta(ntype), content)
    refs = {ref for f in content.findings for ref in f.evidence_refs}
    texts = {w.text.rstrip("、") for w in words(r.pdf, 1)}
    assert refs <= texts, refs - texts
