"""With AUDIT_TSA_URL set, issued notices are PAdES B-T; a failing TSA issues nothing."""

from __future__ import annotations

from typing import Any

import pytest

from audit.domain.notices import issuing, services
from audit.errors import DomainError
from audit.notices.models import NoticeType
from audit.notices.tsa_sim import LocalTSA
from audit.settings import Settings
from tests.integration.notices.notice_helpers import full_content


async def _approved(cast: Any) -> int:
    sup = cast.actor("supervisor")
    d = await services.create_draft(
        sup, NoticeType.public_notice, None, full_content(NoticeType.public_notice)
    )
    await services.approve(d["id"], cast.actor("admin"))  # four eyes: not the drafter
    return int(d["id"])


async def test_b_t_when_tsa_configured(cast: Any, settings: Settings) -> None:
    nid = await _approved(cast)
    with LocalTSA() as tsa:
        with_tsa = settings.model_copy(update={"tsa_url": tsa.url})
        issued = await issuing.issue(nid, cast.actor("supervisor"), settings=with_tsa)
        assert tsa.requests == 1
    assert issued["signature_level"] == "B-T"


async def test_tsa_down_rolls_back(cast: Any, settings: Settings) -> None:
    first, second = await _approved(cast), await _approved(cast)
    with LocalTSA() as tsa:
        url = tsa.url  # closed after the block
    down = settings.model_copy(update={"tsa_url": url})
    with pytest.raises(DomainError) as err:
        await issuing.issue(first, cast.actor("supervisor"), settings=down)
    assert err.value.field == "tsa_url"
    assert (await services.load(first))["status"] == "approved"
    assert (await issuing.issue(second, cast.actor("supervisor")))["seq"] == 1
