"""Service Quality Audit: the regulator's web app, database, workflows and CLI."""

import os

__version__ = "0.1.0"

# Piccolo finds its engine and apps through this module; set before any table is used.
os.environ.setdefault("PICCOLO_CONF", "audit.piccolo_conf")
