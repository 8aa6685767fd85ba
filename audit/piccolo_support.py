"""Small helpers shared by the domains' Piccolo apps."""

from __future__ import annotations

from collections.abc import Sequence

from piccolo.conf.apps import AppConfig
from piccolo.table import Table

from audit.settings import ROOT


def app_config(
    name: str, tables: Sequence[type[Table]], depends_on: Sequence[str] = ()
) -> AppConfig:
    """One Piccolo app per domain; its migrations live in ``migrations/<name>/``."""
    folder = ROOT / "migrations" / name
    folder.mkdir(parents=True, exist_ok=True)
    return AppConfig(
        app_name=name,
        migrations_folder_path=str(folder),
        table_classes=list(tables),
        migration_dependencies=[f"audit.domain.{d}.piccolo_app" for d in depends_on],
    )
