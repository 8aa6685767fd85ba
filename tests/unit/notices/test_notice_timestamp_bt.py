"""With a TSA URL configured the signature carries an RFC 3161 timestamp (PAdES B-T)."""

from __future__ import annotations

from typing import Any

import pytest

from audit.notices import demo, devca, sign, verify
from audit.notices.models import NoticeType
from audit.notices.render import render_notice
from audit.notices.tsa_sim import LocalTSA
from tests.unit.notices.pdftools import pdfsig


def test_b_t_signature_has_trusted_timestamp(
    dev_creds: devca.DevCredentials, roots: list[Any]
) -> None:
    with LocalTSA() as tsa:
        s = sign.load_signer(dev_creds.p12_path, dev_creds.passphrase, tsa_url=tsa.url)
        assert s.level == "B-T"
        r = render_notice(
            NoticeType.public_notice, demo.demo_meta(NoticeType.public_notice), demo.public_notice()
        )
        signed = s.sign(r.pdf, r.sig_page, r.sig_box)
        assert tsa.requests == 1
        check = verify.inspect_pdf(signed, [*roots, tsa.root])
    assert check.intact and check.trusted and check.timestamped
    assert "Signature is Valid." in pdfsig(signed)


def test_unreachable_tsa_fails_without_output(dev_creds: devca.DevCredentials) -> None:
    with LocalTSA() as tsa:
        url = tsa.url  # the server is gone after the block: the port refuses connections
    s = sign.load_signer(dev_creds.p12_path, dev_creds.passphrase, tsa_url=url)
    r = render_notice(
        NoticeType.public_notice, demo.demo_meta(NoticeType.public_notice), demo.public_notice()
    )
    with pytest.raises(Exception, match="timestamp"):
        s.sign(r.pdf, r.sig_page, r.sig_box)
