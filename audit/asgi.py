"""ASGI entry point: ``uvicorn --factory audit.asgi:create_app`` or ``audit run``."""

from litestar import Litestar

from audit.core import build_app


def create_app() -> Litestar:
    return build_app()
