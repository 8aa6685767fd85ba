"""SMS measures from a run's observations (pure): delivered, reply received, time to reply,
and the reply's wording judged by the checklist's phrase patterns (``sms.reply.*``).

The patterns are the checklist's (``checklists/sms_service.yaml`` by default): the balance
stated, the operator named (``<company>``, the venue's company), marketing, and the opt-out
wording 回复TD退订. A checklist without them falls back to the shipped SMS checklist's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checklists.schema import Checklist
from probes.analysis.checklist_source import shipped
from probes.analysis.phrases.engine import PhraseBook, Text, slot_values
from probes.channels.base import Binding

SMS_CHECKLIST = "sms-service"
SMS_ROOTS = ("sms",)


def _book(checklist: Checklist | None) -> PhraseBook:
    base = PhraseBook.from_checklist(shipped(SMS_CHECKLIST))
    if checklist is None or checklist.id == SMS_CHECKLIST:
        return base
    return PhraseBook.from_checklist(checklist, fallback=base)


def reply_measures(
    texts: list[str], company: str | None, checklist: Checklist | None
) -> dict[str, Any]:
    """What the reply says; every value None without a reply."""
    if not texts:
        return {"balance": None, "operator_named": None, "marketing": None, "opt_out": None}
    book, text = _book(checklist), Text.of(texts)
    slots = slot_values(company)
    return {
        "balance": book.found("balance", text),
        # None when the venue has no company name configured (nothing to look for)
        "operator_named": book.found("operator_name", text, slots=slots) if slots else None,
        "marketing": book.found("marketing", text),
        "opt_out": book.found("opt_out", text),
    }


def measures_for(
    observations: Mapping[str, Any], binding: Binding | None, checklist: Checklist | None = None
) -> dict[str, Any] | None:
    """``sms.*`` of a run (``binding`` None) or for one item; None for another channel's."""
    if binding is not None and binding.root not in SMS_ROOTS:
        return None
    if not observations or "delivered" not in observations:
        return None
    checklist = checklist or (binding.checklist if binding is not None else None)
    replies = observations.get("replies") or []
    texts = [str(r["text"]) for r in replies]
    return {
        "sms": {
            "delivered": bool(observations.get("delivered")),
            "reply_received": bool(replies),
            "reply_seconds": observations.get("reply_seconds"),
            "reply": reply_measures(texts, observations.get("company"), checklist),
        }
    }
