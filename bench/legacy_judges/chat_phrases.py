"""FROZEN pre-issue-18 judge (commit ff87159), the reference of bench/judging_accuracy.py.

Phrase lists and thresholds for judging a chat (seed 000 scorecard; seed 001 part 3).

Everything here is a default that a checklist may override (``ChatRules``). Matching is done on
normalised text: traditional characters mapped to simplified (seed 000 itself is written in
traditional characters), full-width ASCII folded, punctuation and spaces removed, so
"抱歉，讓您久等了！" matches "抱歉,让您久等了".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

# Only the characters our phrase lists need; a full converter is not worth a dependency.
_T2S = str.maketrans(
    "歡臨務麼幫謝對讓還嗎請問題復覆來諮詢這關規為興說樣錯煩見會們應與號過時間點處辦準確認實別"
    "後續當個聽親稍員歉給單訂約謂啥誰領導訴費態氣壞罵滾麻熱邊網絡電話聯繫系統內",
    "欢临务么帮谢对让还吗请问题复复来咨询这关规为兴说样错烦见会们应与号过时间点处办准确认实别"
    "后续当个听亲稍员歉给单订约谓啥谁领导诉费态气坏骂滚麻热边网络电话联系系统内",
)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Fold text for phrase matching (see module docstring)."""
    folded = unicodedata.normalize("NFKC", text).translate(_T2S).lower()
    return _PUNCT.sub("", folded)


def contains_any(text: str, phrases: tuple[str, ...]) -> list[str]:
    """The phrases (as given) whose normalised form occurs in the normalised text."""
    norm = normalise(text)
    return [p for p in phrases if normalise(p) and normalise(p) in norm]


# Seed 000 §二.3: the full welcome when the customer has not stated a question.
SALUTATIONS = ("您好", "你好", "亲", "早上好", "上午好", "下午好", "晚上好", "新年好")
WELCOME_WORDS = ("欢迎光临", "欢迎您", "欢迎来到", "很高兴为您服务")
OFFER_OF_HELP = (
    "有什么能帮您",
    "有什么可以帮您",
    "有什么可以帮到您",
    "有什么能为您",
    "有什么可以为您",
    "有什么需要",
    "需要什么帮助",
)
# What a customer types when opening without stating a problem ("在吗?").
CUSTOMER_OPENERS = (
    "在吗",
    "在么",
    "在不在",
    "在",
    "有人吗",
    "有人在吗",
    "你好",
    "您好",
    "亲",
    "客服",
    "人工",
    "人工客服",
    "hi",
    "hello",
    "嗨",
    "哈喽",
    "请问",
    "啊",
    "呀",
    "吗",
    "呢",
)
# Seed 000 §二.5: waits over two minutes need at least one of these.
APOLOGIES = ("感谢您的耐心等待", "感谢您的耐心等候", "耐心等待", "耐心等候", "让您久等", "久等了")
# "Please wait while I check" (seed 000 §二.5, §三.3.d): the customer is waiting after these.
HOLD_PHRASES = (
    "稍等",
    "稍候",
    "请等一下",
    "查询一下",
    "查一下",
    "帮您查",
    "为您查",
    "核实一下",
    "确认一下",
)
# Seed 000 §二.6: 请、您、好、谢谢、对不起; address the customer as 亲 or 您.
COURTESY_ADDRESS = ("您", "亲")
COURTESY_WORDS = ("请", "谢谢", "感谢", "对不起", "抱歉", "麻烦您", "不好意思")
# Seed 000 §二.4 closing; a second enquiry ("还有什么…") also ends a chat properly.
CLOSINGS = (
    "还有什么可以帮您",
    "还有什么能帮您",
    "还有其他问题",
    "还有别的问题",
    "还有什么需要",
    "感谢您的咨询",
    "感谢您的光临",
    "欢迎下次光临",
    "欢迎再次光临",
    "期待您再次光临",
    "祝您生活愉快",
    "祝您愉快",
    "再见",
)
# Seed 001 part 3 §6.9 服务忌语 (the chat scorecard's veto items name the same behaviour).
FORBIDDEN = (
    "你到底在说什么",
    "你到底想查什么",
    "你到底想怎么样",
    "你到底要不要听我说",
    "你听不听我说",
    "不行就是不行",
    "我就这样的态度",
    "我态度哪里不好",
    "你问我,我问谁",
    "你问的问题没法查",
    "有意见找领导去",
    "要告就告去",
    "用不起就别用",
    "我让您买了吗",
    "你有什么了不起",
    "你有没有搞错",
    "你这人怎么这样说话",
    "你怎么这么罗嗦",
    "你烦不烦",
    "不烦我烦了",
    "你怎么不看啊",
    "我不清楚,我不知道",
    "这不是我办理的",
    "这不关我的事",
    "这不是我的错",
    "我查不到,你拨",
    "我没法查",
    "你自己先查清楚",
    "这事不归我管",
    "这事不规我管",
    "你自己想办法吧",
    "你那面出了什么问题",
)
# Seed 000 §四.1: telling the customer not to reply.
TABOO_NO_REPLY = re.compile(
    r"(不要|别|不用|无需|无须|请勿|勿)再?去?(回复|回了|回消息)|不让(顾客|客户|您)最后一个回复"
)
# Seed 000 §四.2: sending the customer away until tomorrow.
TABOO_TOMORROW = re.compile(r"明天(再|过来|来|上班后?再?)|下班了")
# Sentences that carry no answer (used to tell "answered, then said goodnight" from "sent away").
_NON_ANSWER = re.compile(
    r"^(亲|您好|你好|在的|在呢|嗯|好的|抱歉|不好意思|对不起|请稍等|稍等|谢谢|感谢|您|的|了|呢|哦|啊|呀)*$"
)


def is_non_answer(sentence: str) -> bool:
    """True for a sentence that is only greeting/courtesy filler."""
    return bool(_NON_ANSWER.match(normalise(sentence)))


@dataclass(frozen=True)
class ChatRules:
    """Thresholds and phrases; defaults follow seed 000 (45 s first response, 3 min per reply,
    2 min waits need an apology). A checklist overrides them through its parameters."""

    first_response_limit_s: float = 45.0
    # Seed 000 §二.2: 60 s when the venue declares more than 300 sessions a day.
    high_volume_first_response_limit_s: float = 60.0
    high_volume_sessions_per_day: int = 300
    reply_limit_s: float = 180.0
    long_wait_s: float = 120.0
    forbidden_phrases: tuple[str, ...] = FORBIDDEN
    apologies: tuple[str, ...] = APOLOGIES
    hold_phrases: tuple[str, ...] = HOLD_PHRASES
    closings: tuple[str, ...] = CLOSINGS
    welcome_words: tuple[str, ...] = WELCOME_WORDS
    offer_of_help: tuple[str, ...] = OFFER_OF_HELP
    salutations: tuple[str, ...] = SALUTATIONS
    courtesy_words: tuple[str, ...] = COURTESY_WORDS
    # Extra literal phrases for the two taboos (a checklist's ``taboo_phrases`` data).
    not_to_reply_phrases: tuple[str, ...] = ()
    tomorrow_phrases: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def effective_first_response_limit(self, sessions_per_day: int | None) -> float:
        if sessions_per_day is not None and sessions_per_day > self.high_volume_sessions_per_day:
            return self.high_volume_first_response_limit_s
        return self.first_response_limit_s

    def with_params(self, params: dict[str, Any]) -> ChatRules:
        """Override fields from a checklist's parameter mapping (unknown keys are an error)."""
        known = {f for f in self.__dataclass_fields__ if f != "extra"}
        changes: dict[str, Any] = {}
        for key, value in params.items():
            if key not in known:
                raise ValueError(f"unknown chat rule parameter {key!r}")
            current = getattr(self, key)
            if isinstance(current, tuple):
                if not isinstance(value, list | tuple) or not all(
                    isinstance(v, str) for v in value
                ):
                    raise ValueError(f"chat rule parameter {key!r}: expected a list of strings")
                changes[key] = tuple(value)
            elif isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"chat rule parameter {key!r}: expected a number")
            else:
                changes[key] = type(current)(value)
        return replace(self, **changes)
