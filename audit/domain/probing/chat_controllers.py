"""Chat probe API: start a chat run, score a posted transcript (the signed chat-API webhook
is the channel's, served by channel_webhooks.py).

``CHAT_ROUTES`` is meant to be appended to ``ROUTES`` in ``controllers.py``.
"""

from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, get, post
from litestar.params import JSONBody
from pydantic import BaseModel, ConfigDict, Field

from audit.api import CurrentActor, Id
from audit.domain.accounts.guards import require
from audit.domain.probing import chat, chat_transcripts
from audit.domain.probing.schemas import ProbeRunOut
from audit.validation import ApiIn, JsonObject

_ID = Field(default=None, gt=0, le=2_147_483_647)


class StartChatRun(ApiIn):
    """Probe a web_chat or chat_api venue (directly or through an inspection of one)."""

    model_config = ConfigDict(extra="forbid")

    venue_id: int | None = _ID
    inspection_id: int | None = _ID
    plan_id: int | None = _ID
    script_id: str | None = Field(default=None, max_length=80)
    script: JsonObject | None = Field(default=None, description="a customer script (data)")
    wait: bool = Field(default=False, description="answer only when the chat is over")


class ChatMessageIn(ApiIn):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Literal["customer", "agent"] = Field(alias="from")
    at: str = Field(max_length=40)
    text: str = Field(max_length=5000)


class ChatTranscriptIn(ApiIn):
    model_config = ConfigDict(extra="forbid")

    messages: list[ChatMessageIn] = Field(max_length=2000)
    opened_at: str | None = Field(default=None, max_length=40)
    ended_at: str | None = Field(default=None, max_length=40)


class ScoreChatIn(ApiIn):
    """The ``score-chat`` CLI as an API; with ``venue_id`` the result is kept as a chat run."""

    model_config = ConfigDict(extra="forbid")

    transcript: ChatTranscriptIn
    checklist_id: str = Field(default="online-chat", max_length=80)
    sessions_per_day: int | None = Field(default=None, ge=0, le=10_000_000)
    taobao: bool = False
    venue_id: int | None = _ID


class ChatItemOut(BaseModel):
    id: str
    result: Literal["pass", "fail", "na"]
    reason: str


class ScoreChatOut(BaseModel):
    measures: dict[str, Any]
    items: list[ChatItemOut]
    verdict: Literal["pass", "fail"]
    run_id: int | None


class ChatRunController(Controller):
    path = "/probe-runs/chat"
    tags = ["probing"]

    @post("/", guards=[require("probes.run")], summary="Start a chat probe against a chat venue")
    async def start(self, data: JSONBody[StartChatRun], actor: CurrentActor) -> ProbeRunOut:
        run = await chat.start_chat_run(
            actor, venue_id=data.venue_id, inspection_id=data.inspection_id,
            plan_id=data.plan_id, script=data.script, script_id=data.script_id, wait=data.wait,
        )  # fmt: skip
        return ProbeRunOut(**run)

    @get(
        "/{run_id:int}",
        guards=[require("probes.read")],
        summary="A chat run with transcript and measures",
    )
    async def get_run(self, run_id: Id, actor: CurrentActor) -> ProbeRunOut:
        return ProbeRunOut(**await chat.get_chat_run(run_id, actor))

    @post(
        "/score",
        guards=[require("probes.analyse")],
        status_code=200,
        summary="Score a chat transcript",
    )
    async def score(self, data: JSONBody[ScoreChatIn], actor: CurrentActor) -> ScoreChatOut:
        transcript = data.transcript.model_dump(by_alias=True, exclude_none=True)
        out = await chat_transcripts.score_transcript(
            actor, transcript, checklist_id=data.checklist_id,
            sessions_per_day=data.sessions_per_day, taobao=data.taobao, venue_id=data.venue_id,
        )  # fmt: skip
        return ScoreChatOut(**out)


CHAT_ROUTES = [ChatRunController]
