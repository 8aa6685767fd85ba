"""Run the demo chat site on its own: ``python -m probes.chat_demo [--port N]``.

Prints the base URL on the first line of stdout, then serves until SIGTERM/SIGINT or until its
stdin closes (so a parent that dies takes the site with it).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from probes.chat_demo.server import DemoChatSite


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m probes.chat_demo")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--webhook-secret", default="demo-secret")
    ap.add_argument("--duplicate-webhooks", action="store_true")
    args = ap.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    site = DemoChatSite(args.webhook_secret, args.duplicate_webhooks, port=args.port)
    with site:
        print(site.base_url, flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
