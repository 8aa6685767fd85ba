"""Screenshots of the main pages for docs/ui.md, desktop (1280×900) and phone (390×844).

Run against a fresh demo (`make run` in another terminal), then:
    .venv/bin/python scripts/ui_screenshots.py [--base http://127.0.0.1:8000] [--out docs/ui]
It logs in with the demo users of var/demo-credentials.txt and, to show a diff, imports one
changed version of the business-hall checklist; as inspector1 it starts the inspection of the
demo's active on-site plan from the plan page and answers two items (writes to the demo
database: run it against a fresh demo).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# phone first: it starts the demo inspection from the plan page (the start button is shown once)
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def credentials(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def _shrink(path: Path) -> None:
    """256 colours are plenty for a UI screenshot and a third of the bytes in git."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256).save(path, optimize=True)


async def shoot(base: str, out: Path, creds_file: Path) -> None:
    from playwright.async_api import async_playwright

    creds = credentials(creds_file)
    out.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            for vp_name, viewport in VIEWPORTS.items():
                context = await browser.new_context(viewport=viewport, locale="zh-CN")
                page = await context.new_page()

                async def save(
                    name: str, full: bool | None = None, page=page, vp_name=vp_name
                ) -> None:
                    await page.wait_for_load_state("networkidle")
                    path = out / f"{name}-{vp_name}.png"
                    full_page = vp_name == "phone" if full is None else full
                    await page.screenshot(path=str(path), full_page=full_page)
                    _shrink(path)

                async def login(user: str, page=page, context=context) -> None:
                    await context.clear_cookies()
                    await page.goto(f"{base}/login")
                    await page.fill("#username", user)
                    await page.fill("#password", creds[user])
                    await page.click("form[action='/login'] button[type=submit]")
                    await page.wait_for_load_state("networkidle")

                await page.goto(f"{base}/login")
                await save("login")
                await login("supervisor")
                await save("dashboard-supervisor")
                await page.goto(f"{base}/ui/operators")
                await save("operators")
                await page.click("#operator-results a")
                await save("operator")
                await page.click("a[href$='/venues/new']")
                await page.fill("#f-name", "客服热线")
                await page.fill("#f-phones", "+8610010000")
                await page.click("form[action$='/venues/new'] button[type=submit]")
                await save("venue-inline-error")
                await page.goto(f"{base}/ui/checklists")
                await save("checklists")
                await page.click("a[href^='/ui/checklists/versions/']")
                await save("scorecard")
                if vp_name == next(iter(VIEWPORTS)):  # once
                    text = (ROOT / "checklists" / "business_hall.yaml").read_text(encoding="utf-8")
                    changed = text.replace("pass_mark: 80", "pass_mark: 85", 1)
                    await page.goto(f"{base}/ui/checklists/import")
                    await page.fill("#f-yaml", changed)
                    await page.click("form[action='/ui/checklists/import'] button[type=submit]")
                    await page.wait_for_load_state("networkidle")
                await page.goto(f"{base}/ui/checklists")
                compare = page.locator("form.compare button").first
                if await compare.count():
                    await compare.click()
                    await save("checklist-diff")
                await page.goto(f"{base}/ui/checklists/import")
                await page.fill("#f-yaml", "id: x\nversion: 0\ntitle: {zh: 测试}\nsections: []\n")
                await page.click("form[action='/ui/checklists/import'] button[type=submit]")
                await save("checklist-import-errors")
                await page.goto(f"{base}/ui/audit-log")
                await save("audit-log")
                for name, path in (
                    ("plans", "/ui/plans"),
                    ("coverage", "/ui/coverage"),
                    ("complaints", "/ui/complaints"),
                    ("probe-runs", "/ui/probe-runs"),
                ):
                    await page.goto(f"{base}{path}")
                    await save(name)
                await login("inspector1")
                await save("dashboard-inspector")
                await page.goto(f"{base}/ui/inspections")
                await save("inspections-inspector")
                await inspect(page, base, save)
                await context.close()
        finally:
            await browser.close()


async def inspect(page: Any, base: str, save: Any) -> None:
    """The demo's active plan as inspector1 sees it, then its inspection form: started from
    the plan page's button the first time, opened from the plan's inspections after."""
    await page.goto(f"{base}/ui/plans")
    await page.locator("main table a[href^='/ui/plans/']").first.click()
    await page.wait_for_load_state("networkidle")
    start = page.locator("#plan-start button[type=submit]").first
    await save("plan-inspector", full=True)
    if await start.count():
        await start.click()
        await page.wait_for_selector("#inspection[data-ready='1']", timeout=20_000)
        for item, result, note in (
            ("environment-clean", "pass", ""),
            ("environment-tariffs_posted", "fail", "宽带套餐资费未在公示栏列出"),
        ):
            await page.click(f"label[for='r-{item}-{result}']")
            if note:
                await page.fill(f"#n-{item}", note)
                await page.press(f"#n-{item}", "Tab")
        await page.wait_for_selector("#unsent[data-count='0']", timeout=20_000)
        await page.wait_for_timeout(1500)  # the summary fragment reloads after the batch
    else:
        await page.locator(
            "section[aria-labelledby='h-inspections'] a[href^='/ui/inspections/']"
        ).first.click()
        await page.wait_for_selector("#inspection[data-ready='1']", timeout=20_000)
    await page.evaluate("window.scrollTo(0, 0)")
    # the first screen, as the inspector sees it (390×844 is the design size)
    await save("inspection-form", full=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="http://127.0.0.1:8000")
    ap.add_argument("--out", default=str(ROOT / "docs" / "ui"))
    ap.add_argument("--credentials", default=str(ROOT / "var" / "demo-credentials.txt"))
    args = ap.parse_args()
    asyncio.run(shoot(args.base, Path(args.out), Path(args.credentials)))


if __name__ == "__main__":
    main()
