"""Probe measures in words, for the "实测情况" column of a notice (not ``answer_seconds=38``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# measure name (checklists/measures.py) -> (label, unit); unknown measures are not printed
LABELS: dict[str, tuple[str, str]] = {
    "outcome": ("呼叫结果", ""),
    "answered": ("是否接通", ""),
    "answer_seconds": ("接通用时", "秒"),
    "rings": ("振铃次数", "次"),
    "first_response_seconds": ("首次响应用时", "秒"),
    "max_reply_seconds": ("最长回复间隔", "秒"),
    "unapologised_long_waits": ("超过2分钟未致歉的等待", "次"),
    "greeting_ok": ("开场白符合要求", ""),
    "courtesy_ok": ("使用礼貌用语", ""),
    "closing_ok": ("使用结束语", ""),
}
OUTCOMES = {
    "answered": "接通",
    "busy": "忙音",
    "no_answer": "无人接听",
    "failed": "呼叫失败",
    "canceled": "已取消",
}


def _value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "outcome":
        return OUTCOMES.get(str(value), str(value))
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def describe(measures: Mapping[str, Any] | None) -> list[str]:
    """One phrase per known measure, e.g. "接通用时 38 秒"."""
    if not isinstance(measures, Mapping):
        return []
    out: list[str] = []
    for name, (label, unit) in LABELS.items():
        value = measures.get(name)
        if value is None or isinstance(value, dict | list):
            continue
        out.append(f"{label} {_value(name, value)}{' ' + unit if unit else ''}")
    return out
