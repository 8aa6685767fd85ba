"""poppler's pdfsig accepts our signature and reports a digest mismatch after tampering."""

from __future__ import annotations

from audit.notices import demo, sign
from audit.notices.models import NoticeType
from audit.notices.render import render_notice
from tests.unit.notices.pdftools import flip_byte, pdfsig


def _signed(signer: sign.NoticeSigner) -> bytes:
    r = render_notice(
        NoticeType.rectification, demo.demo_meta(NoticeType.rectification), demo.rectification()
    )
    return signer.sign(r.pdf, r.sig_page, r.sig_box)


def test_pdfsig_says_valid(signer: sign.NoticeSigner) -> None:
    out = pdfsig(_signed(signer))
    assert "Signature is Valid." in out
    assert "Total document signed" in out
    assert "ETSI.CAdES.detached" in out  # PAdES, not adbe.pkcs7.detached
    assert "Dev Notice Signer" in out


def test_pdfsig_says_digest_mismatch_after_one_byte(signer: sign.NoticeSigner) -> None:
    out = pdfsig(flip_byte(_signed(signer)))
    assert "Digest Mismatch." in out
    assert "Signature is Valid." not in out
