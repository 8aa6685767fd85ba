"""Demo data for the embedded default (``make run``): idempotent, safe to load at every start.

Domains add their own demo data in ``audit/domain/<name>/demo.py`` (``async def load(app)``),
discovered like the other domain modules and run after the registry below.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

import structlog
from litestar import Litestar

from audit.context import SYSTEM
from audit.domain.accounts.schemas import UserCreate
from audit.domain.accounts.services import create_user
from audit.domain.accounts.tables import User
from audit.domain.operators.schemas import OperatorIn, VenueIn
from audit.domain.operators.services import create_operator, create_venue, find_operator
from audit.domains import domain_modules
from audit.settings import get_settings

log = structlog.get_logger("audit.demo")


def _demo_operators() -> list[dict[str, Any]]:
    """Two fictitious operators. The hotline numbers are answered by the local Twilio
    simulator's demo contact centres (probes/scenarios/demo.yaml: +86 10 5555 01xx, company
    示例电信); the web chat is the local demo chat site."""
    from probes.chat.profile import demo_profile

    chat_url = f"http://127.0.0.1:{get_settings().demo_chat_port}/chat?scenario=compliant"
    return [
        {
            "name": "示例电信股份有限公司",
            "venues": [
                {
                    "kind": "hotline",
                    "name": "客服热线(合规)",
                    "region": "110000",
                    "phones": ["+861055550101"],
                    "company_name": "示例电信",
                },
                {
                    "kind": "hotline",
                    "name": "客服热线(一次问候即挂机)",
                    "region": "110000",
                    "phones": ["+861055550102"],
                    "company_name": "示例电信",
                },
                {
                    "kind": "hotline",
                    "name": "客服热线(迟接未致歉)",
                    "region": "330100",
                    "phones": ["+861055550104"],
                    "company_name": "示例电信",
                },
                {
                    "kind": "web_chat",
                    "name": "在线客服",
                    "region": "330100",
                    "urls": [chat_url],
                    "sessions_per_day": 120,
                    "profile": demo_profile(chat_url).model_dump(mode="json", exclude_none=True),
                },
                {
                    "kind": "business_hall",
                    "name": "杭州文三路营业厅",
                    "region": "330100",
                    "address": "杭州市西湖区文三路 1 号",
                },
            ],
        },
        {
            "name": "示例移动通信有限公司",
            "venues": [
                {"kind": "agency_point", "name": "福田代办点", "region": "440300"},
                {"kind": "business_hall", "name": "深圳福田营业厅", "region": "440300"},
            ],
        },
    ]


DEMO_USERS = [
    ("admin", "admin", None),
    ("supervisor", "supervisor", None),
    ("inspector1", "inspector", None),
    ("inspector2", "inspector", None),
    ("analyst", "analyst", None),
    ("operator1", "operator", "示例电信股份有限公司"),
]


async def load_registry() -> dict[str, int]:
    ids: dict[str, int] = {}
    for spec in _demo_operators():
        existing = await find_operator(spec["name"])
        if existing:
            ids[spec["name"]] = existing["id"]
            continue
        op = await create_operator(OperatorIn(name=spec["name"]), SYSTEM)
        ids[spec["name"]] = op["id"]
        for venue in spec["venues"]:
            await create_venue(op["id"], VenueIn(**venue), SYSTEM)
    return ids


async def load_users(operator_ids: dict[str, int]) -> list[tuple[str, str]]:
    created: list[tuple[str, str]] = []
    for username, role, operator_name in DEMO_USERS:
        if await User.exists().where(User.username == username):
            continue
        password = os.environ.get("AUDIT_DEMO_PASSWORD") or secrets.token_urlsafe(12)
        await create_user(
            UserCreate(
                username=username,
                password=password,
                role=role,  # type: ignore[arg-type]
                operator_id=operator_ids.get(operator_name) if operator_name else None,
            ),
            SYSTEM,
        )
        created.append((username, password))
    return created


async def load_demo_data(app: Litestar) -> None:
    operator_ids = await load_registry()
    created = await load_users(operator_ids)
    if created:
        # Generated at first run, shown once on the terminal and kept in a 0600 file:
        # never in the repo, never in the structured log.
        path = get_settings().var_dir / "demo-credentials.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "w") as fh:
            for username, password in created:
                fh.write(f"{username}\t{password}\n")
        print(f"Demo users created; their passwords are in {path}")
    for name, module in domain_modules("demo"):
        loader = getattr(module, "load", None)
        if loader is not None:
            await loader(app)
            log.info("demo data loaded", domain=name)
