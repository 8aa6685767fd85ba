"""Input models for the four notice types, and the "what is still missing" check.

A draft holds loose data (a dict) that editors fill in over time; it can be issued only when
its content validates against the model of its type. ``check_content`` names what is missing
so the draft can say so instead of failing at render time.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from checklists.schema import CITE_HINT, SEED_FILE_RE

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _printable_citation(value: str) -> str:
    # a notice is a legal document: it cites regulations by name, never our seed files
    if SEED_FILE_RE.search(value):
        raise ValueError(f"cite the regulation or standard by name and article ({CITE_HINT})")
    return value


Cited = Annotated[Text, AfterValidator(_printable_citation)]


class NoticeType(StrEnum):
    rectification = "rectification"
    self_inspection = "self_inspection"
    findings_report = "findings_report"
    public_notice = "public_notice"
    closing_letter = "closing_letter"  # 整改复查意见: every finding of a notice is closed
    overdue_followup = "overdue_followup"  # 督办: findings not rectified by the deadline


TITLES: dict[NoticeType, str] = {
    NoticeType.rectification: "整改通知书",
    NoticeType.self_inspection: "责令自查通知书",
    NoticeType.findings_report: "检查结果报告",
    NoticeType.public_notice: "服务质量通告",
    NoticeType.closing_letter: "整改复查意见书",
    NoticeType.overdue_followup: "逾期未整改督办通知书",
}

# the short word before the year in the document number, e.g. 整改〔2026〕第0007号
NUMBER_PREFIX: dict[NoticeType, str] = {
    NoticeType.rectification: "整改",
    NoticeType.self_inspection: "自查",
    NoticeType.findings_report: "检查",
    NoticeType.public_notice: "通告",
    NoticeType.closing_letter: "复查",
    NoticeType.overdue_followup: "督办",
}

SEVERITY_LABELS = {
    "veto": "否决项",
    "critical": "关键项",
    "non_critical": "非关键项",
    "major": "严重",
    "minor": "一般",
}


def format_number(notice_type: NoticeType, year: int, seq: int) -> str:
    if seq < 1 or year < 2000:
        raise ValueError(f"notice number: bad year/seq {year}/{seq}")
    return f"{NUMBER_PREFIX[notice_type]}〔{year}〕第{seq:04d}号"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoticeMeta(_Model):
    """What every notice carries besides its content."""

    authority: Text  # issuing authority, e.g. 某某省通信管理局
    letterhead: Text  # the red-head line at the top, usually the authority's full name
    number: Text  # formatted notice number; "(草稿)" for previews
    addressee: Text  # operator (or 各电信业务经营者 for public notices)
    issue_date: dt.date
    verify_url: Text  # public verification page (QR target)
    token: Text  # opaque id embedded in the PDF metadata and the URL
    signer_name: Text = "签发人"
    test_key: bool = False  # dev certificate: the page footer says so as well
    replaces: str | None = None  # number of the notice this corrected one supersedes


class Finding(_Model):
    item: Cited  # what was checked, in words (the checklist item's text, not its code)
    severity: Text  # veto | critical | non_critical | free text
    evidence_refs: list[Text] = Field(default_factory=list)
    measured: Text  # measured values, e.g. "接通用时 38 秒(振铃 6 次)"
    rule: Cited  # legal basis: regulation/standard name and article (checklist ``source.cite``)
    rectification: Text  # what the operator must do
    deadline: dt.date | None = None  # this finding's own deadline (default: the notice's)


class RectificationContent(_Model):
    inspection_ref: Text  # plan / inspection / campaign reference
    inspected_on: Text  # date or period as printed
    findings: Annotated[list[Finding], Field(min_length=1)]
    deadline: dt.date
    intro: str = ""
    reply_instructions: str = (
        "请于整改期限届满前将整改情况书面报告我局,逾期未整改或整改不到位的,将依法予以处理。"
    )


class ComplaintRef(_Model):
    id: Text
    date: dt.date
    summary: str = ""


class SelfInspectionContent(_Model):
    trigger_ref: Text
    region: Text  # prefecture-level city (GB/T 2260 name and code)
    issue: Text
    complaints: Annotated[list[ComplaintRef], Field(min_length=1)]
    deadline: dt.date
    basis: str = (
        "依据《电信服务质量监督抽查规定》第十条,一个月内同一地区因同一问题引起的用户申诉"
        "达到三件以上的,应当立即责令电信业务经营者进行自查或对该业务进行抽查。"
    )


class ItemResult(_Model):
    code: Text  # the checklist item id: kept for reference, never printed
    title: Cited
    basis: Annotated[str, AfterValidator(_printable_citation)] = ""  # legal basis (source.cite)
    result: Text  # pass | fail | na | free text
    score: float | None = None
    max_score: float | None = None
    note: str = ""


class RateRow(_Model):
    label: Text
    passed: int = Field(ge=0)
    total: int = Field(ge=0)


class FindingsReportContent(_Model):
    plan_ref: Text
    period: Text
    method: Text  # 明查 / 暗访
    items: Annotated[list[ItemResult], Field(min_length=1)]
    total_score: float
    answer_rates: list[RateRow] = Field(default_factory=list)
    answer_seconds: list[float] = Field(default_factory=list)
    answer_threshold_s: float | None = None
    compliance: list[RateRow] = Field(default_factory=list)
    summary: str = ""
    deadline: dt.date | None = None  # rectification deadline of the failed items, if any


Share = Annotated[float, Field(ge=0, le=1)]


class OperatorRow(_Model):
    operator: Text
    probes: int = Field(ge=0)
    answered: int = Field(ge=0)
    mean_answer_s: float | None = None
    compliant: int = Field(default=0, ge=0)
    # hand-typed notices rank by score; a report computed from data ranks by ``rank``
    score: float | None = None
    # ---- figures of the public quality report (POST /notices/public-report, docs/reports.md)
    rank: int | None = Field(default=None, ge=1)
    answer_ci_low: Share | None = None
    answer_ci_high: Share | None = None
    median_answer_s: float | None = None
    service_level: Share | None = None
    silent_call: Share | None = None
    greeting: Share | None = None
    chats: int = Field(default=0, ge=0)
    first_response: Share | None = None
    chat_items: Share | None = None
    complaints: int | None = Field(default=None, ge=0)
    complaints_by_category: dict[str, int] = Field(default_factory=dict)
    subscribers: int | None = Field(default=None, ge=1)
    complaints_per_million: float | None = Field(default=None, ge=0)
    change_answer_rate: float | None = None  # percentage points as a share (0.02 = +2 points)
    change_per_million: float | None = None
    rectification_notices: int = Field(default=0, ge=0)
    self_inspection_orders: int = Field(default=0, ge=0)


class PublicNoticeContent(_Model):
    period: Text
    scope: Text  # region / channels covered
    rows: Annotated[list[OperatorRow], Field(min_length=1)]
    summary: str = ""
    # set when the figures were computed from data: the structure of MIIT's quarterly notice
    from_data: bool = False
    previous_period: str = ""
    service_level_s: float = 15.0
    categories: dict[str, str] = Field(default_factory=dict)  # code → printed label

    @model_validator(mode="after")
    def _ranked_somehow(self) -> PublicNoticeContent:
        if not self.from_data:
            unscored = [str(i) for i, r in enumerate(self.rows) if r.score is None]
            if unscored:
                raise ValueError(f"rows {', '.join(unscored)}: a score is needed to rank them")
        return self


class ClosedFinding(_Model):
    item: Text  # the finding as the original notice printed it
    outcome: Text  # 整改完成,复查合格 / 经复核撤销 / …
    closed_on: dt.date
    basis: Text  # how it was verified (re-probe, re-inspection, review of the report)


class ClosingLetterContent(_Model):
    """整改复查意见: the regulator's finding that every item of a notice is closed."""

    notice_ref: Text  # number of the notice whose findings are closed
    notice_date: dt.date
    findings: Annotated[list[ClosedFinding], Field(min_length=1)]
    conclusion: str = "经复查,你单位已按要求完成整改,上述问题予以销号。请持续做好服务质量管理工作。"


class OverdueFinding(_Model):
    item: Text
    deadline: dt.date
    status: Text  # what the regulator saw on the deadline, e.g. 未报告整改情况


class OverdueFollowupContent(_Model):
    """督办: findings not rectified by the deadline, citing the consequence the rules set."""

    notice_ref: Text
    notice_date: dt.date
    findings: Annotated[list[OverdueFinding], Field(min_length=1)]
    new_deadline: dt.date
    # 《电信服务质量监督管理暂行办法》 Art. 21 (MIIT order 6/2001, amended by order 28/2014)
    consequence: Text = (
        "依据《电信服务质量监督管理暂行办法》第二十一条,对电信业务经营者违反电信服务标准并损害"
        "用户合法权益的行为,由电信管理机构发出限期整改书;对逾期不改者,视情节轻重给予警告或者"
        "处以500元以上、10000元以下罚款。"
    )


CONTENT_MODELS: dict[NoticeType, type[_Model]] = {
    NoticeType.rectification: RectificationContent,
    NoticeType.self_inspection: SelfInspectionContent,
    NoticeType.findings_report: FindingsReportContent,
    NoticeType.public_notice: PublicNoticeContent,
    NoticeType.closing_letter: ClosingLetterContent,
    NoticeType.overdue_followup: OverdueFollowupContent,
}

_MISSING_TYPES = {"missing", "string_too_short", "too_short"}


class ContentCheck(BaseModel):
    model: Any = None
    missing: list[str] = Field(default_factory=list)
    invalid: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.model is not None


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def check_content(notice_type: NoticeType | str, data: dict[str, Any]) -> ContentCheck:
    """Validate draft data; name missing fields (dotted paths) and invalid ones with the reason."""
    model_cls = CONTENT_MODELS[NoticeType(notice_type)]
    try:
        return ContentCheck(model=model_cls.model_validate(data))
    except ValidationError as exc:
        missing: list[str] = []
        invalid: list[str] = []
        for err in exc.errors():
            path = _path(tuple(err["loc"]))
            if err["type"] in _MISSING_TYPES:
                missing.append(path)
            else:
                invalid.append(f"{path}: {err['msg']}")
        return ContentCheck(missing=missing, invalid=invalid)


def missing_fields(notice_type: NoticeType | str, data: dict[str, Any]) -> list[str]:
    """Names of required fields that are absent or blank (empty list: nothing missing)."""
    return check_content(notice_type, data).missing
