"""SMS replies judged by the SMS checklist (checklists/sms_service.yaml) through the one path
every channel uses: the channel's measures for each bound item, ``checklists.rules.judge``."""

from __future__ import annotations

from typing import Any

import pytest

from checklists.rules import judge
from probes.analysis.checklist_source import shipped
from probes.channels.base import Binding
from probes.channels.registry import channel, for_probe_kind

SMS = channel("sms")


def verdicts(replies: list[str], *, seconds: float | None = 5.0, delivered: bool = True,
             company: str | None = "甲通信") -> dict[str, str | None]:  # fmt: skip
    cl = shipped("sms-service")
    obs: dict[str, Any] = {
        "delivered": delivered,
        "replies": [{"sid": f"SM{i}", "text": t, "at": None} for i, t in enumerate(replies)],
        "reply_seconds": seconds if replies else None,
        "company": company,
    }
    out: dict[str, str | None] = {}
    for item in cl.items():
        assert item.measure is not None
        m = SMS.measures(obs, Binding.of(item.measure, cl))
        assert m is not None
        j = judge(item.measure.rule, m.values, m.params, na_allowed=item.na_allowed,
                  unjudged=SMS.unjudged)  # fmt: skip
        out[item.id] = j.result
    return out


def test_a_compliant_reply_passes_every_item() -> None:
    got = verdicts(["【甲通信】尊敬的客户,您的账户余额为35.20元。"])
    assert set(got.values()) == {"pass"}, got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("【甲通信】您的余额为8元。限时优惠:流量包5元1GB,回复1办理。", "fail"),
        ("【甲通信】您的余额为8元。限时优惠:流量包5元1GB,回复1办理,回复TD退订", "pass"),
    ],
)
def test_marketing_needs_the_opt_out_wording(text: str, expected: str) -> None:
    assert verdicts([text])["sms.marketing_opt_out"] == expected


def test_no_balance_no_name_late() -> None:
    got = verdicts(["您好,请问您要查询什么业务?"], seconds=75.0)
    assert (got["sms.balance_stated"], got["sms.operator_named"], got["sms.reply_time"]) == (
        "fail", "fail", "fail",
    )  # fmt: skip


def test_no_reply_fails_the_reply_and_leaves_the_wording_na() -> None:
    got = verdicts([])
    assert (got["sms.delivered"], got["sms.replied"], got["sms.reply_time"]) == (
        "pass", "fail", "fail",
    )  # fmt: skip
    assert {got[i] for i in ("sms.balance_stated", "sms.operator_named",
                             "sms.marketing_opt_out")} == {"na"}  # fmt: skip


def test_no_company_configured_leaves_the_name_na() -> None:
    assert verdicts(["您的账户余额为35元"], company=None)["sms.operator_named"] == "na"


def test_campaigns_reach_sms_through_the_registry() -> None:
    assert for_probe_kind("sms_query") == (SMS,)
