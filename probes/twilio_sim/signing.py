"""Sign webhooks the way Twilio does (X-Twilio-Signature).

Twilio's published scheme: take the full URL it requests (scheme, host, port as written, path,
query), append each POST parameter name followed by its value, parameters sorted by name, then
HMAC-SHA1 with the account's auth token and base64. Written here from the description, not
by calling the SDK's validator, so that the tests (which validate with the SDK's
``RequestValidator``) check one implementation against another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping

SIGNATURE_HEADER = "X-Twilio-Signature"


def twilio_signature(
    auth_token: str, url: str, params: Mapping[str, str] | Iterable[tuple[str, str]]
) -> str:
    items = list(params.items()) if isinstance(params, Mapping) else list(params)
    payload = url + "".join(name + value for name, value in sorted(items))
    digest = hmac.new(auth_token.encode(), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")
