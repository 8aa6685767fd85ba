"""The portal's fixtures live in ``tests/portal_fixtures.py`` (the browser tests use them too)."""

from tests.portal_fixtures import (  # noqa: F401
    caller_ids,
    mail_sink,
    mailed_cast,
    receiver,
    served_app,
    simulator,
)
