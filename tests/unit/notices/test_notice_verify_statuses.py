"""verify answers authentic | tampered | revoked | superseded | unknown, never crashing."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from typing import Any

import pytest

from audit.notices import demo, devca, sign, verify
from audit.notices.models import NoticeType
from audit.notices.render import render_notice
from tests.unit.notices.pdftools import flip_byte

TOKEN = "tok-verify-0001"


@pytest.fixture(scope="module")
def issued(signer: sign.NoticeSigner) -> bytes:
    meta = demo.demo_meta(NoticeType.rectification, number="整改〔2026〕第0001号", token=TOKEN)
    r = render_notice(NoticeType.rectification, meta, demo.rectification(long=False))
    return signer.sign(r.pdf, r.sig_page, r.sig_box)


def _record(pdf: bytes, status: str = "issued", **kw: Any) -> verify.RegistryRecord:
    return verify.RegistryRecord(
        token=TOKEN,
        notice_type="rectification",
        number="整改〔2026〕第0001号",
        addressee="中国示例通信有限公司某某省分公司",
        issue_date=dt.date(2026, 11, 23),
        sha256=hashlib.sha256(pdf).hexdigest(),
        status=status,
        **kw,
    )


def _verify(pdf: bytes, roots: list[Any], records: list[verify.RegistryRecord]) -> verify.Verdict:
    by_hash = {r.sha256: r for r in records}
    by_token = {r.token: r for r in records}
    return verify.verify_pdf(pdf, roots, by_hash.get, by_token.get)


def test_authentic(issued: bytes, roots: list[Any]) -> None:
    v = _verify(issued, roots, [_record(issued)])
    assert v.status == verify.Status.authentic
    public = v.public()
    assert public["notice"]["number"] == "整改〔2026〕第0001号"
    assert public["notice"]["fingerprint"] == hashlib.sha256(issued).hexdigest()
    assert "findings" not in str(public) and "三声振铃" not in str(public)  # never the content


@pytest.mark.parametrize("status", ["delivered", "acknowledged"])
def test_delivered_and_acknowledged_are_authentic(
    issued: bytes, roots: list[Any], status: str
) -> None:
    assert _verify(issued, roots, [_record(issued, status)]).status == verify.Status.authentic


def test_tampered_names_the_notice(issued: bytes, roots: list[Any]) -> None:
    v = _verify(flip_byte(issued), roots, [_record(issued)])
    assert v.status == verify.Status.tampered
    assert v.notice is not None and v.notice.number == "整改〔2026〕第0001号"


def test_tampered_without_registry_match(issued: bytes, roots: list[Any]) -> None:
    assert _verify(flip_byte(issued), roots, []).status == verify.Status.tampered


def test_revoked(issued: bytes, roots: list[Any]) -> None:
    assert _verify(issued, roots, [_record(issued, "revoked")]).status == verify.Status.revoked


def test_superseded_names_replacement(issued: bytes, roots: list[Any]) -> None:
    rec = _record(issued, "superseded", superseded_by="整改〔2026〕第0002号")
    v = _verify(issued, roots, [rec])
    assert v.status == verify.Status.superseded
    assert v.public()["notice"]["superseded_by"] == "整改〔2026〕第0002号"


def test_signed_by_us_but_unregistered_is_unknown(issued: bytes, roots: list[Any]) -> None:
    other = replace(_record(issued), token="someone-else", sha256="0" * 64)
    assert _verify(issued, roots, [other]).status == verify.Status.unknown


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello world",
        b"%PDF-1.7\n%garbage without structure",
        b"\x00" * 100,
        b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 3,
    ],
)
def test_not_ours_or_not_pdf_is_unknown(data: bytes, roots: list[Any]) -> None:
    v = _verify(data, roots, [])
    assert v.status == verify.Status.unknown
    assert v.public()["file_sha256"] == hashlib.sha256(data).hexdigest()


def test_unsigned_pdf_is_unknown(roots: list[Any]) -> None:
    r = render_notice(
        NoticeType.public_notice,
        demo.demo_meta(NoticeType.public_notice, token="unsigned-1"),
        demo.public_notice(),
    )
    assert _verify(r.pdf, roots, []).status == verify.Status.unknown


def test_foreign_signer_is_unknown(tmp_path: Any, roots: list[Any]) -> None:
    other = devca.ensure_dev_credentials(tmp_path / "foreign")
    s = sign.load_signer(other.p12_path, other.passphrase)
    r = render_notice(
        NoticeType.public_notice,
        demo.demo_meta(NoticeType.public_notice, token="foreign-1"),
        demo.public_notice(),
    )
    signed = s.sign(r.pdf, r.sig_page, r.sig_box)
    assert _verify(signed, roots, []).status == verify.Status.unknown
    assert _verify(flip_byte(signed), roots, []).status == verify.Status.unknown


def test_registered_bytes_with_untrusted_root_are_not_authentic(
    issued: bytes, tmp_path: Any
) -> None:
    other = devca.ensure_dev_credentials(tmp_path / "rotated")
    v = _verify(issued, verify.load_trust_roots([other.root_cert_path]), [_record(issued)])
    assert v.status == verify.Status.unknown
