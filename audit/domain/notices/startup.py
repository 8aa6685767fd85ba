"""Load the signing identity at start-up so a bad key is reported at once (issue 8:
"a signing key that can't be loaded ⇒ clear error at start-up of signing").

The server still starts — everything but issuing works — and issuing repeats the error.
"""

from __future__ import annotations

from typing import Any

import structlog

from audit.domain.notices import config
from audit.notices.sign import SigningKeyError

log = structlog.get_logger("audit.notices")


async def on_startup(app: Any) -> None:
    settings = app.state.settings
    try:
        signer = config.get_signer(settings)
    except SigningKeyError as exc:
        log.error("notice signing unavailable", reason=str(exc))
        return
    log.info(
        "notice signing key loaded",
        signer=signer.signer_name,
        pades=signer.level,
        test_key=signer.is_test,
    )
    if signer.is_test:
        log.warning(
            "notices are signed with the development key: TEST — not valid for "
            "enforcement; set AUDIT_SIGNING_P12_PATH for real notices"
        )
