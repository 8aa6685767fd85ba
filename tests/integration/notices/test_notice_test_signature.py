"""A notice signed with the development (TEST) key says so on the public verification page and
in the API — never a bare "有效 · Authentic" (issue 16 item 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr

from audit.domain.notices import issuing, services
from audit.domain.notices.tables import Notice
from audit.notices.models import NoticeType
from audit.settings import Settings
from tests.integration.notices.notice_helpers import full_content, issued_notice, regulator_p12

TEST_LABEL = "测试签名 · TEST signature"


async def test_test_key_notice_is_marked_everywhere(client: Any, cast: Any) -> None:
    n = await issued_notice(cast)  # the suite signs with the generated development key
    assert n["test_signature"] is True

    page = (await client.get(f"/verify/{n['token']}")).text
    assert 'data-status="authentic"' in page
    assert TEST_LABEL in page and 'data-test-signature="true"' in page
    assert "有效 · Authentic" not in page
    assert "not valid for enforcement" in page

    by_token = (await client.get(f"/notices/verify/{n['token']}")).json()
    assert by_token["status"] == "authentic" and by_token["test_signature"] is True

    pdf = issuing.pdf_file(n).read_bytes()
    r = await client.post(
        "/notices/verify", content=pdf, headers={"Content-Type": "application/pdf"}
    )
    assert r.json()["status"] == "authentic" and r.json()["test_signature"] is True

    staff = await client.get(f"/notices/{n['id']}", headers=cast.headers("supervisor"))
    assert staff.json()["test_signature"] is True

    # revoked: the status shows, and so does the TEST marker
    await issuing.revoke(n["id"], cast.actor("supervisor"), "测试")
    page = (await client.get(f"/verify/{n['token']}")).text
    assert 'data-status="revoked"' in page and TEST_LABEL in page


async def test_notice_issued_before_the_flag_reads_its_certificate(client: Any, cast: Any) -> None:
    n = await issued_notice(cast)
    await Notice.update({Notice.test_signature: None}).where(Notice.id == n["id"])
    by_token = (await client.get(f"/notices/verify/{n['token']}")).json()
    assert by_token["test_signature"] is True
    assert TEST_LABEL in (await client.get(f"/verify/{n['token']}")).text


async def test_regulator_key_notice_is_not_marked(
    client: Any, cast: Any, settings: Settings, tmp_path: Path
) -> None:
    path, passphrase = regulator_p12(tmp_path)
    real = settings.model_copy(
        update={"signing_p12_path": path, "signing_p12_passphrase": SecretStr(passphrase)}
    )
    sup = cast.actor("supervisor")
    d = await services.create_draft(
        cast.actor("inspector1"),
        NoticeType.rectification,
        cast.operator_a["id"],
        full_content(NoticeType.rectification),
    )
    await services.approve(d["id"], sup)
    n = await issuing.issue(d["id"], sup, settings=real)
    assert n["test_signature"] is False
    by_token = (await client.get(f"/notices/verify/{n['token']}")).json()
    assert by_token["status"] == "authentic" and by_token["test_signature"] is False
    page = (await client.get(f"/verify/{n['token']}")).text
    assert "有效 · Authentic" in page and TEST_LABEL not in page
