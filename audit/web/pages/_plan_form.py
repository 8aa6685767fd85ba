"""The plan form ⇄ the API's plan schema (PlanIn / PlanPatch). Only parsing lives here: what
the browser sends (checkboxes, ``datetime-local`` in the regulator's zone, "auto" for on-site)
becomes the JSON the API takes; every rule is the service's (``plans.services.build_scope``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit.settings import get_settings
from audit.web.i18n import N_, gettext

METHODS = {"open": N_("open (announced)"), "covert": N_("covert (unannounced)")}
SAMPLINGS = {
    "comprehensive": N_("comprehensive (every venue in scope)"),
    "random": N_("random (seeded draw)"),
    "targeted": N_("targeted (the venues named)"),
}
ON_SITE = {
    "auto": N_("decide from the venues (business halls and agency points are on site)"),
    "yes": N_("on site"),
    "no": N_("not on site"),
}
# The inputs of the form; a service error about anything else is shown above the form.
FIELDS = (
    "name",
    "description",
    "method",
    "sampling",
    "venue_ids",
    "sample_size",
    "sample_seed",
    "checklist_version_ids",
    "inspector_ids",
    "window_start",
    "window_end",
    "on_site",
)
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


def options(words: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, gettext(v)) for k, v in words.items()]


def id_list(value: Any) -> list[str]:
    """Checked checkboxes: absent, one value or several."""
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value]) if str(v).strip()]


def _ints(value: Any) -> list[Any]:
    # A tampered value stays a string so the schema names the field ("Enter a whole number.").
    return [int(v) if v.isdigit() else v for v in id_list(value)]


def _local_time(value: Any) -> tuple[str | None, str | None]:
    """``datetime-local`` text (regulator's zone) → ISO time with its offset, or the problem."""
    text = str(value or "").strip()
    if not text:
        return None, None
    try:
        naive = dt.datetime.strptime(text[:16], LOCAL_FORMAT)
    except ValueError:
        return None, gettext("Enter a date and time.")
    return naive.replace(tzinfo=get_settings().zone).isoformat(), None


def local_input(value: dt.datetime | None) -> str:
    """A stored (UTC) time as the ``datetime-local`` input shows it, in the regulator's zone."""
    return value.astimezone(get_settings().zone).strftime(LOCAL_FORMAT) if value else ""


def plan_data(
    form: dict[str, Any], operator_id: int | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON body the API would get, and the problems found while reading the form."""
    problems: dict[str, str] = {}
    data: dict[str, Any] = {
        "name": form.get("name", ""),
        "description": form.get("description", ""),
        "method": form.get("method", ""),
        "sampling": form.get("sampling", ""),
        "venue_ids": _ints(form.get("venue_ids")),
        "checklist_version_ids": _ints(form.get("checklist_version_ids")),
        "inspector_ids": _ints(form.get("inspector_ids")),
        "on_site": {"yes": True, "no": False}.get(str(form.get("on_site", "auto"))),
    }
    if operator_id is not None:
        data["operator_id"] = operator_id
    for name in ("sample_size", "sample_seed"):
        text = str(form.get(name) or "").strip()
        data[name] = text or None
    for name in ("window_start", "window_end"):
        value, problem = _local_time(form.get(name))
        if problem:
            problems[name] = problem
        elif value is not None:
            data[name] = value
    return data, problems


def form_values(plan: dict[str, Any]) -> dict[str, Any]:
    """A stored plan as the form shows it (for editing)."""
    return {
        **plan,
        "venue_ids": [str(v["venue_id"]) for v in plan["venues"]],
        "checklist_version_ids": [str(c["id"]) for c in plan["checklist_versions"]],
        "inspector_ids": [str(i) for i in plan["inspector_ids"]],
        "sample_size": plan["sample_size"] or "",
        "sample_seed": plan["sample_seed"] or "",
        "window_start": local_input(plan["window_start"]),
        "window_end": local_input(plan["window_end"]),
        "on_site": "yes" if plan["on_site"] else "no",
    }


def placed(errors: dict[str, str]) -> dict[str, str]:
    """Errors keyed by the form's inputs; one about anything else goes above the form."""
    out = {k: v for k, v in errors.items() if k in FIELDS or k == "__all__"}
    stray = [v for k, v in errors.items() if k not in out]
    if stray:
        out["__all__"] = "; ".join([*([out["__all__"]] if "__all__" in out else []), *stray])
    return out


# ---- refusals in the reader's language -------------------------------------------------------
# The decision and its English reason are plans.actions'; these only say it in the page's
# language, from the refusal's status and field (the English reason stays in data-reason).
REFUSAL_WORDS = {
    "role": N_("Only %(roles)s may do this."),
    "four_eyes": N_(
        "Four eyes: you wrote or edited this plan, so another supervisor must approve it."
    ),
    "state": N_("Possible once the plan is “%(needed)s”; it is “%(now)s”."),
    "edit_state": N_("Only drafts can be edited; the plan is “%(now)s”."),
    "two_inspectors": N_("An on-site plan needs at least two inspectors (seed 004 Art. 7)."),
    "one_inspector": N_("Assign at least one inspector before approval."),
    "open": N_("Some inspections are still open: submit them first."),
    "pending": N_("Some inspections wait for the second inspector's confirmation."),
    "none_submitted": N_("No inspection has been submitted yet."),
}


def refusal_words(
    refusal: Any, action: str, status: str, statuses: dict[str, str], roles: str
) -> str:
    """What the page shows beside a disabled button (the reason itself when unrecognised)."""
    from audit.domain.plans.actions import TRANSITIONS

    reason = refusal.reason
    key: str | None = None
    values: dict[str, str] = {"now": statuses.get(status, status), "roles": roles}
    if refusal.field == "four_eyes":
        key = "four_eyes"
    elif refusal.status == 403:
        key = "role"
    elif refusal.field == "inspector_ids":
        key = "two_inspectors" if "two inspectors" in reason else "one_inspector"
    elif action == "edit" and status != "draft":
        key = "edit_state"
    elif action in TRANSITIONS and status != TRANSITIONS[action][0]:
        key = "state"
        values["needed"] = statuses.get(TRANSITIONS[action][0], TRANSITIONS[action][0])
    elif action == "complete":
        for marker, name in (
            ("open", "open"),
            ("waiting", "pending"),
            ("no submitted", "none_submitted"),
        ):
            if marker in reason:
                key = name
    return gettext(REFUSAL_WORDS[key], **values) if key else str(reason)
