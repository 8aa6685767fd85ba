"""Target profiles (data, one per venue) and customer scripts (data, one per test case).

Both load from YAML/JSON mappings; a bad file raises :class:`ProfileError` naming the field,
e.g. ``steps[2]: unknown step 'sleep' (use say, wait, silent or await_reply)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from checklists.yamlsrc import YamlSyntaxError, safe_load_file


class ProfileError(ValueError):
    """A target profile or customer script is invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetProfile(_Strict):
    """How to find and drive the chat on an operator's page (CSS selectors)."""

    name: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")
    frame: str | None = Field(default=None, description="iframe holding the chat widget")
    open_button: str | None = Field(default=None, description="clicked to open the chat")
    input: str = Field(min_length=1, description="the text box the customer types in")
    send_button: str | None = Field(default=None, description="none: press Enter")
    messages: str = Field(min_length=1, description="container of the message bubbles")
    agent_message: str = Field(min_length=1, description="matches an agent's bubble")
    customer_message: str = Field(min_length=1, description="matches our own bubble")
    load_timeout_s: float = Field(default=20.0, gt=0)
    open_timeout_s: float = Field(default=10.0, gt=0)
    action_timeout_s: float = Field(default=10.0, gt=0)
    max_duration_s: float = Field(default=900.0, gt=0, description="hard cap on one run")
    settle_s: float = Field(default=2.0, ge=0, description="watch this long after the script")


StepKind = Literal["say", "wait", "silent", "await_reply"]


class Step(_Strict):
    """``say`` text; ``wait`` N s; stay ``silent`` up to N s or until the agent writes;
    ``await_reply`` up to N s for an agent message after our last one."""

    kind: StepKind
    text: str | None = None
    seconds: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict) and "kind" not in value:
            if len(value) != 1:
                raise ValueError(
                    "a step has exactly one key (say, wait, silent, await_reply), "
                    f"got {sorted(value)}"
                )
            ((key, arg),) = value.items()
            if key not in ("say", "wait", "silent", "await_reply"):
                raise ValueError(f"unknown step {key!r} (use say, wait, silent or await_reply)")
            return {"kind": key, "text": arg} if key == "say" else {"kind": key, "seconds": arg}
        return value

    @model_validator(mode="after")
    def _args(self) -> Step:
        if self.kind == "say" and not (self.text and self.text.strip()):
            raise ValueError("say: needs non-empty text")
        if self.kind != "say" and (self.seconds is None or self.seconds < 0):
            raise ValueError(f"{self.kind}: needs a number of seconds >= 0")
        return self


class CustomerScript(_Strict):
    id: str = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)


def describe_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ""
        for p in err["loc"]:
            where += f"[{p}]" if isinstance(p, int) else (f".{p}" if where else str(p))
        parts.append(f"{where or '(top level)'}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def _load(source: str | Path | dict[str, Any]) -> dict[str, Any]:
    if isinstance(source, dict):
        return source
    path = Path(source)
    try:
        data = safe_load_file(path)
    except YamlSyntaxError as exc:
        raise ProfileError(str(exc)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: expected a mapping")
    return data


def load_profile(source: str | Path | dict[str, Any]) -> TargetProfile:
    try:
        return TargetProfile.model_validate(_load(source))
    except ValidationError as exc:
        raise ProfileError(f"target profile: {describe_validation_error(exc)}") from None


def load_script(source: str | Path | dict[str, Any]) -> CustomerScript:
    try:
        return CustomerScript.model_validate(_load(source))
    except ValidationError as exc:
        raise ProfileError(f"customer script: {describe_validation_error(exc)}") from None


def demo_profile(page_url: str, iframe: bool = False) -> TargetProfile:
    """The profile of the local demo chat site (probes/chat_demo)."""
    return TargetProfile(
        name="demo-chat",
        url=page_url,
        frame="#chat-frame" if iframe else None,
        open_button="#open-chat",
        input="#chat-input",
        send_button="#send",
        messages="#messages",
        agent_message=".msg.agent",
        customer_message=".msg.customer",
    )


def shipped_scripts() -> dict[str, CustomerScript]:
    """The customer scripts under ``probes/chat/scripts`` by id."""
    folder = Path(__file__).parent / "scripts"
    scripts = [load_script(p) for p in sorted(folder.glob("*.yaml"))]
    return {s.id: s for s in scripts}
