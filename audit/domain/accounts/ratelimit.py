"""Failed-login throttle: N failures per (client, username) in a sliding window ⇒ 429.

In-process state: with several web processes each keeps its own window, which still bounds
guessing to N × processes per window. Documented in docs/security.md.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque


class LoginThrottle:
    def __init__(self, max_failures: int, window_seconds: float) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def retry_after(self, client: str, username: str) -> int | None:
        """Seconds to wait if the key is blocked, else None."""
        now = time.monotonic()
        q = self._recent((client, username.lower()), now)
        if len(q) >= self.max_failures:
            return max(1, int(q[0] + self.window - now) + 1)
        return None

    def failed(self, client: str, username: str) -> None:
        self._failures[(client, username.lower())].append(time.monotonic())

    def succeeded(self, client: str, username: str) -> None:
        self._failures.pop((client, username.lower()), None)
