"""A signing key that can't be loaded fails the issue clearly and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from audit.domain.notices import config, issuing, services
from audit.errors import DomainError
from audit.notices.models import NoticeType
from audit.settings import Settings
from tests.integration.notices.notice_helpers import full_content


async def test_missing_p12_is_a_clear_error(cast: Any, settings: Settings, tmp_path: Path) -> None:
    sup = cast.actor("supervisor")
    d = await services.create_draft(
        sup, NoticeType.rectification, cast.operator_a["id"], full_content(NoticeType.rectification)
    )
    await services.approve(d["id"], cast.actor("admin"))  # four eyes: not the drafter
    bad = settings.model_copy(
        update={
            "signing_p12_path": tmp_path / "regulator.p12",
            "signing_p12_passphrase": SecretStr("s3cret-pass"),
        }
    )
    before = (
        sorted(config.notices_dir(settings).rglob("*.pdf"))
        if config.notices_dir(settings).exists()
        else []
    )
    with pytest.raises(DomainError) as err:
        await issuing.issue(d["id"], sup, settings=bad)
    assert "regulator.p12" in err.value.message and "s3cret-pass" not in err.value.message
    assert err.value.field == "signing_key"
    row = await services.load(d["id"])
    assert row["status"] == "approved" and row["number"] is None
    after = (
        sorted(config.notices_dir(settings).rglob("*.pdf"))
        if config.notices_dir(settings).exists()
        else []
    )
    assert after == before
    assert (await issuing.issue(d["id"], sup))["seq"] == 1
