"""The life of a finding item (issue 17), as data.

    open ─► rectification_reported ─► verifying ─► closed
      │            ▲   (amend)            └──────► reopened ─► rectification_reported …
      ├─► disputed ─► upheld | overturned | adjusted
      └─► overdue (deadline passed, nothing reported) ─► rectification_reported …

A supervisor may close any unresolved item with a written reason. ``overturned`` (the finding
was wrong) and ``closed`` are final; ``adjusted`` is final when the adjusted result is no longer
a failure (``na``), and otherwise the item still has to be rectified like an upheld one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STATES = (
    "open",
    "rectification_reported",
    "verifying",
    "closed",
    "reopened",
    "disputed",
    "upheld",
    "overturned",
    "adjusted",
    "overdue",
)
FINAL = ("closed", "overturned")
# states in which the operator still owes a rectification
OWING = ("open", "reopened", "overdue", "upheld", "adjusted")
DISPUTABLE = ("open", "overdue")

# action -> (allowed from, to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "report_rectification": (OWING, "rectification_reported"),
    "start_verification": (("rectification_reported",), "verifying"),
    "verification_passed": (("verifying",), "closed"),
    "verification_failed": (("verifying",), "reopened"),
    "verification_inconclusive": (("verifying",), "rectification_reported"),
    "dispute": (DISPUTABLE, "disputed"),
    "uphold": (("disputed",), "upheld"),
    "overturn": (("disputed",), "overturned"),
    "adjust": (("disputed",), "adjusted"),
    "mark_overdue": (("open", "reopened", "upheld", "adjusted"), "overdue"),
    "close": (
        (
            "open",
            "rectification_reported",
            "verifying",
            "reopened",
            "upheld",
            "adjusted",
            "overdue",
        ),
        "closed",
    ),
    # the notice itself was revoked: whatever was pending ends with it
    "withdraw": (tuple(s for s in STATES if s not in FINAL), "closed"),
}


def resolved(item: Mapping[str, Any]) -> bool:
    """Nothing more is owed: closed, overturned, or adjusted to a non-failure."""
    if item["state"] in FINAL:
        return True
    return item["state"] == "adjusted" and item.get("result") != "fail"


def owes_rectification(item: Mapping[str, Any]) -> bool:
    return item["state"] in OWING and not resolved(item)


def allowed(action: str, item: Mapping[str, Any]) -> bool:
    frm, _ = TRANSITIONS[action]
    if item["state"] not in frm:
        return False
    # an adjusted item that no longer fails owes nothing: no report, no overdue, no close
    return not (item["state"] == "adjusted" and resolved(item))


def target(action: str) -> str:
    return TRANSITIONS[action][1]
