"""Piccolo configuration: the engine from settings and every domain's app."""

from piccolo.conf.apps import AppRegistry

from audit.db import engine_from_url
from audit.domains import domain_names, has_module
from audit.settings import get_settings

DB = engine_from_url(get_settings().database_url)

APP_REGISTRY = AppRegistry(
    apps=[
        f"audit.domain.{name}.piccolo_app"
        for name in domain_names()
        if has_module(name, "piccolo_app")
    ]
)
