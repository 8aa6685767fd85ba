"""Judge chat measures against a checklist's item bindings (the ``score-chat`` contract).

Only items with a ``measure`` binding are judged automatically; the rest (veto items about
attitude, accuracy of answers …) need a human reviewer and are not listed. The binding's
``params`` feed both the rule and the analyser (``long_wait_s``); the wording the analyser
looks for is the checklist's phrases (items' ``phrases``, ``taboo_phrases``, ``forbidden_phrases``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checklists.rules import RuleError, judge
from checklists.schema import Checklist
from probes.analysis.chat import ChatAnalysis, analyse_chat
from probes.analysis.chat_phrases import ChatRules, chat_rules
from probes.analysis.chat_transcript import Transcript
from probes.analysis.checklist_source import find_checklist

DEFAULT_CHECKLIST_ID = "online-chat"
__all__ = ["DEFAULT_CHECKLIST_ID", "find_checklist", "judge_items", "rules_for", "score_chat"]


def rules_for(cl: Checklist, base: ChatRules | None = None) -> ChatRules:
    """Analyser settings from the checklist: its phrases and its binding params."""
    return chat_rules(cl, base)


def rule_params(
    params: Mapping[str, Any], sessions_per_day: int | None, taobao: bool
) -> dict[str, Any]:
    """Pick the first-response limit that applies (seed 000 §二.2; seed 001 第三篇 §1.2)."""
    out = dict(params)
    if taobao and "taobao_first_response_max_s" in out:
        out["first_response_max_s"] = out["taobao_first_response_max_s"]
    elif (
        sessions_per_day is not None
        and "high_volume_sessions_per_day" in out
        and "high_volume_first_response_max_s" in out
        and sessions_per_day > out["high_volume_sessions_per_day"]
    ):
        out["first_response_max_s"] = out["high_volume_first_response_max_s"]
    return out


def rule_measures(measures: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(measures)
    # The agent spoke but no customer message ever waited for a reply: no reply was late.
    if out.get("max_reply_seconds") is None and out.get("first_response_seconds") is not None:
        out["max_reply_seconds"] = 0.0
    return out


def judge_items(
    cl: Checklist,
    measures: dict[str, Any],
    *,
    sessions_per_day: int | None = None,
    taobao: bool = False,
) -> list[dict[str, Any]]:
    """One ``{"id", "result", "reason"}`` per item that has a measure binding."""
    values = rule_measures(measures)
    items: list[dict[str, Any]] = []
    for item in cl.items():
        b = item.measure
        if b is None:
            continue
        params = rule_params(b.params, sessions_per_day, taobao)
        try:
            # a chat that is over is all there will be: what cannot be judged fails
            j = judge(b.rule, values, params, na_allowed=item.na_allowed, unjudged="fail")
        except RuleError as exc:
            raise ValueError(f"checklist {cl.id} item {item.id}: {exc}") from exc
        items.append({"id": item.id, "result": j.result, "reason": j.reason})
    return items


def analysis_for(transcript: Transcript, checklist: Checklist) -> ChatAnalysis:
    """The chat analysed with the checklist's thresholds and phrase lists."""
    return analyse_chat(transcript, rules_for(checklist))


def score_chat(
    transcript: Transcript,
    checklist: Checklist,
    *,
    sessions_per_day: int | None = None,
    taobao: bool = False,
) -> tuple[dict[str, Any], ChatAnalysis]:
    """The ``score-chat`` output and the full analysis behind it."""
    analysis = analysis_for(transcript, checklist)
    measures = analysis.measures()
    items = judge_items(checklist, measures, sessions_per_day=sessions_per_day, taobao=taobao)
    verdict = "fail" if any(i["result"] == "fail" for i in items) else "pass"
    return {"measures": measures, "items": items, "verdict": verdict}, analysis
