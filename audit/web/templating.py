"""The Jinja2 environment of the web UI: gettext (``jinja2.ext.i18n``), assets, navigation,
times in the regulator's zone. Templates live in ``audit/web/templates``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from audit.domain.accounts import roles
from audit.settings import get_settings
from audit.web import i18n
from audit.web.assets import asset
from audit.web.nav import entries_for

TEMPLATE_DIR = Path(__file__).parent / "templates"

ROLE_LABELS = {
    "admin": i18n.N_("Administrator"),
    "supervisor": i18n.N_("Supervisor"),
    "inspector": i18n.N_("Inspector"),
    "analyst": i18n.N_("Analyst"),
    "operator": i18n.N_("Operator user"),
}


def role_label(role: str) -> str:
    return i18n.gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def _request(context: Any) -> Any:
    return context.get("request")


@pass_context
def _nav(context: Any) -> list[dict[str, Any]]:
    from audit.web.pages import nav_items

    request = _request(context)
    if request is None:
        return []
    return entries_for(request.scope.get("user"), nav_items(), request.url.path)


def _detail_url(kind: str, record_id: object) -> str | None:
    from audit.web.pages import detail_url

    return detail_url(kind, record_id)


@pass_context
def _current_user(context: Any) -> dict[str, Any] | None:
    request = _request(context)
    return request.scope.get("user") if request is not None else None


@pass_context
def _may(context: Any, permission: str) -> bool:
    """May the current user do ``permission`` (the role matrix)? Shows or hides a link or a
    button; the route's guard decides again."""
    user = _current_user(context)
    return user is not None and roles.can(user["role"], permission)


@pass_context
def _here(context: Any) -> str:
    """The current page (path and query), for forms that come back to it."""
    request = _request(context)
    if request is None:
        return "/"
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def bilingual(text: Any) -> str:
    """The request's language of a ``{zh, en}`` text (checklist titles, items)."""
    if text is None:
        return ""
    zh = getattr(text, "zh", None) if not isinstance(text, dict) else text.get("zh")
    en = getattr(text, "en", None) if not isinstance(text, dict) else text.get("en")
    return str((en if i18n.language_var.get() == "en" else zh) or zh or en or "")


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.raw_gettext, i18n.raw_ngettext, newstyle=True
    )
    env.globals.update(
        asset=asset,
        nav=_nav,
        current_user=_current_user,
        may=_may,
        here=_here,
        role_label=role_label,
        t=bilingual,
        detail_url=_detail_url,
        language=i18n.language_var.get,
        languages=i18n.LANGUAGES,
        timezone=lambda: get_settings().timezone,
        authority=lambda: (
            get_settings().authority_name
            if i18n.language_var.get() != "en"
            else get_settings().authority_name_en
        ),
    )
    env.filters["localtime"] = i18n.localtime
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment()))
