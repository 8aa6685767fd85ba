"""Failed-login throttle: N failures per account, or M per client address, in a sliding
window ⇒ 429. Keyed on each separately, so neither rotating addresses (one account, many
addresses) nor spraying accounts (one address, many accounts) escapes it.

In-process state: with several web processes each keeps its own window, which still bounds
guessing to N × processes per window. Documented in docs/security.md.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque


class LoginThrottle:
    def __init__(
        self, max_failures: int, window_seconds: float, max_per_address: int | None = None
    ) -> None:
        self.max_failures = max_failures
        self.max_per_address = max_per_address or max_failures * 4
        self.window = window_seconds
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        if not q:
            self._failures.pop(key, None)  # no empty entries pile up
            q = deque()
        return q

    def _keys(self, address: str, username: str) -> list[tuple[tuple[str, str], int]]:
        return [
            (("account", username.lower()), self.max_failures),
            (("address", address), self.max_per_address),
        ]

    def retry_after(self, address: str, username: str) -> int | None:
        """Seconds to wait if the account or the address is blocked, else None."""
        now = time.monotonic()
        waits = []
        for key, limit in self._keys(address, username):
            q = self._recent(key, now)
            if len(q) >= limit:
                waits.append(max(1, int(q[-limit] + self.window - now) + 1))
        return max(waits) if waits else None

    def failed(self, address: str, username: str) -> None:
        now = time.monotonic()
        for key, _ in self._keys(address, username):
            self._failures[key].append(now)

    def succeeded(self, address: str, username: str) -> None:
        # the account's failures are forgiven; the address keeps its count (a sprayer who
        # knows one password must not reset the window for the others)
        self._failures.pop(("account", username.lower()), None)

    def reset(self) -> None:
        self._failures.clear()
