"""The demo site's agent: scripted replies with exact delays, per named scenario.

A scenario is data: an optional greeting sent when the chat opens, and for the n-th customer
message a list of ``(delay_s, text)`` replies timed from the moment the server received that
message. Query parameters override the numbers (``delay``, ``wait``, ``greet_delay``) and
switch the apology on a long wait (``apology=1``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Reply = tuple[float, str]

GREETING = "您好,欢迎光临,我是客服小张,很高兴为您服务,请问有什么能帮您?"
ANSWER = "您咨询的5G畅享套餐每月58元,含30GB流量,可在APP或营业厅办理。请问还有什么可以帮您?"
CLOSING = "感谢您的咨询,祝您生活愉快,再见!"


@dataclass(frozen=True)
class AgentScript:
    name: str
    greeting: str | None = None
    greet_delay_s: float = 1.0
    turns: tuple[tuple[Reply, ...], ...] = ()
    opens: bool = True  # False: the "open chat" button does nothing
    extra: Mapping[str, str] = field(default_factory=dict)

    def replies_to(self, n: int) -> tuple[Reply, ...]:
        """Replies to the n-th (0-based) customer message."""
        return self.turns[n] if n < len(self.turns) else ()


def _f(query: Mapping[str, str], key: str, default: float) -> float:
    raw = query.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"query parameter {key}: {raw!r} is not a number") from None
    if value < 0:
        raise ValueError(f"query parameter {key}: must not be negative")
    return value


def scenario_from_query(query: Mapping[str, str]) -> AgentScript:
    """Build the agent for a chat page or API session from its parameters."""
    name = query.get("scenario") or "compliant"
    delay = _f(query, "delay", 2.0)
    wait = _f(query, "wait", 150.0)
    greeting = query.get("greeting") or GREETING
    if name == "compliant":
        return AgentScript(name, turns=(((delay, "亲,您好!" + ANSWER),), ((1.0, CLOSING),)))
    if name == "proactive":
        return AgentScript(
            name,
            greeting=greeting,
            greet_delay_s=_f(query, "greet_delay", delay),
            turns=(((2.0, ANSWER),), ((1.0, CLOSING),)),
        )
    if name == "long_wait":
        apology = "感谢您的耐心等待!" if query.get("apology") == "1" else ""
        return AgentScript(
            name,
            turns=(
                (
                    (delay, "亲,您好!请您稍等,为您查询一下。"),
                    (delay + wait, apology + ANSWER),
                ),
                ((1.0, CLOSING),),
            ),
        )
    if name == "taboo_tomorrow":
        return AgentScript(name, turns=(((delay, "亲,我们马上下班了,您明天再来咨询吧。"),),))
    if name == "taboo_no_reply":
        return AgentScript(
            name, turns=(((delay, "亲,您好!" + ANSWER),), ((1.0, "好的,您不要再回复了。"),))
        )
    if name == "forbidden":
        return AgentScript(name, turns=(((delay, "你问我,我问谁?这不关我的事。"),),))
    if name == "silent":
        return AgentScript(name)
    if name == "never_opens":
        return AgentScript(name, opens=False)
    raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")


SCENARIOS = (
    "compliant",
    "proactive",
    "long_wait",
    "taboo_tomorrow",
    "taboo_no_reply",
    "forbidden",
    "silent",
    "never_opens",
)
