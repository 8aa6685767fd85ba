"""pyHanko validation: intact and trusted when untouched; not intact after one byte changes."""

from __future__ import annotations

from typing import Any

from audit.notices import demo, devca, sign, verify
from audit.notices.models import NoticeType
from audit.notices.render import render_notice
from tests.unit.notices.pdftools import flip_byte


def _signed(signer: sign.NoticeSigner) -> bytes:
    r = render_notice(
        NoticeType.self_inspection,
        demo.demo_meta(NoticeType.self_inspection, token="tok-pyhanko"),
        demo.self_inspection(),
    )
    return signer.sign(r.pdf, r.sig_page, r.sig_box)


def test_untouched_is_intact_and_trusted(signer: sign.NoticeSigner, roots: list[Any]) -> None:
    check = verify.inspect_pdf(_signed(signer), roots)
    assert check.signed and check.intact and check.trusted and check.entire_file
    assert check.token == "tok-pyhanko"
    assert not check.timestamped  # B-B without a TSA


def test_one_byte_breaks_integrity(signer: sign.NoticeSigner, roots: list[Any]) -> None:
    check = verify.inspect_pdf(flip_byte(_signed(signer)), roots)
    assert check.signed and not check.intact and not check.trusted
    assert check.chain_trusted  # still our certificate: that is how we call it tampered


def test_other_root_is_not_trusted(signer: sign.NoticeSigner, tmp_path: Any) -> None:
    other = devca.ensure_dev_credentials(tmp_path / "other")
    check = verify.inspect_pdf(_signed(signer), verify.load_trust_roots([other.root_cert_path]))
    assert check.intact and not check.trusted and not check.chain_trusted
