"""Public verification: registry status by token (QR page) and full check of a file."""

from __future__ import annotations

from typing import Any

from audit.domain.notices import issuing, services
from tests.integration.notices.notice_helpers import issued_notice


def _pdf(n: dict[str, Any]) -> bytes:
    return issuing.pdf_file(n).read_bytes()


def _flip(pdf: bytes) -> bytes:
    i = pdf.find(b"service-quality-audit")
    return pdf[:i] + bytes([pdf[i] ^ 0x20]) + pdf[i + 1 :]


async def _verify(client: Any, data: bytes) -> dict[str, Any]:
    r = await client.post(
        "/notices/verify", content=data, headers={"Content-Type": "application/pdf"}
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_each_status(client: Any, cast: Any) -> None:
    sup = cast.actor("supervisor")
    n = await issued_notice(cast)
    pdf = _pdf(n)

    got = await _verify(client, pdf)
    assert got["status"] == "authentic"
    assert got["notice"]["number"] == n["number"]
    assert got["notice"]["fingerprint"] == n["sha256"]
    assert got["notice"]["addressee"] == cast.operator_a["name"]
    assert "content" not in got["notice"] and "findings" not in str(got)

    got = await _verify(client, _flip(pdf))
    assert got["status"] == "tampered" and got["notice"]["number"] == n["number"]

    assert (await _verify(client, b"not a pdf at all"))["status"] == "unknown"
    assert (await _verify(client, b"%PDF-1.7\n%%EOF"))["status"] == "unknown"

    fix = await issuing.create_correction(n["id"], sup)
    await services.approve(fix["id"], cast.actor("admin"))  # four eyes: sup drafted it
    new = await issuing.issue(fix["id"], sup)
    got = await _verify(client, pdf)
    assert got["status"] == "superseded" and got["notice"]["superseded_by"] == new["number"]
    assert (await _verify(client, _pdf(new)))["status"] == "authentic"

    await issuing.revoke(new["id"], sup, "错误签发")
    assert (await _verify(client, _pdf(new)))["status"] == "revoked"


async def test_qr_target_page_and_json(client: Any, cast: Any) -> None:
    n = await issued_notice(cast)
    r = await client.get(f"/verify/{n['token']}")  # public: no login
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    page = r.text
    assert 'data-status="authentic"' in page
    assert n["number"] in page and n["sha256"] in page and cast.operator_a["name"] in page
    assert "三声振铃" not in page  # never the content

    r = await client.get(f"/notices/verify/{n['token']}")
    assert r.json()["status"] == "authentic" and r.json()["notice"]["number"] == n["number"]
    assert (await client.get("/notices/verify/no-such-token")).json()["status"] == "unknown"
    assert 'data-status="unknown"' in (await client.get("/verify/no-such-token")).text
    assert (await client.get("/verify/bad%20token")).status_code == 400

    await issuing.revoke(n["id"], cast.actor("supervisor"), "撤销")
    assert 'data-status="revoked"' in (await client.get(f"/verify/{n['token']}")).text


async def test_drafts_are_not_public(client: Any, cast: Any) -> None:
    sup = cast.actor("supervisor")
    d = await services.create_draft(sup, "public_notice", None, {})
    r = await client.get(f"/notices/verify/{d['token']}")
    assert r.json()["status"] == "unknown" and r.json().get("notice") is None
