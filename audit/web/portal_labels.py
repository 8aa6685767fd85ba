"""Words for the portal's states and categories (translated where they are shown)."""

from __future__ import annotations

from audit.web.i18n import N_, gettext

STATES = {
    "open": N_("Open"),
    "rectification_reported": N_("Rectification reported"),
    "verifying": N_("Being verified"),
    "closed": N_("Closed"),
    "reopened": N_("Reopened"),
    "disputed": N_("Disputed"),
    "upheld": N_("Dispute rejected"),
    "overturned": N_("Withdrawn"),
    "adjusted": N_("Adjusted"),
    "overdue": N_("Overdue"),
}
CATEGORIES = {
    "new": N_("New"),
    "due_soon": N_("Due soon"),
    "overdue": N_("Overdue"),
    "open": N_("Open"),
    "closed": N_("Closed"),
}
DISPUTES = {
    "pending": N_("Awaiting decision"),
    "upheld": N_("Rejected (finding upheld)"),
    "overturned": N_("Accepted (finding withdrawn)"),
    "adjusted": N_("Partly accepted (finding adjusted)"),
}


def labels() -> dict[str, dict[str, str]]:
    """The label tables for a template, in the request's language."""
    return {
        "state_labels": {k: gettext(v) for k, v in STATES.items()},
        "category_labels": {k: gettext(v) for k, v in CATEGORIES.items()},
        "dispute_labels": {k: gettext(v) for k, v in DISPUTES.items()},
    }
