"""GET /complaints and the complaints page: filters and paging done by the database."""

from __future__ import annotations

from typing import Any

from tests.web import form_login

from .helpers import operators


async def _seed(client: Any, h: dict[str, str]) -> None:
    rows = [
        # external id, operator, region, issue, date, summary
        ("A1", "OP-A", "320100", "billing", "2026-03-01", "多扣话费"),
        ("A2", "OP-A", "320200", "network", "2026-03-05", "信号差"),
        ("A3", "OP-A", "110000", "billing", "2026-04-01", "套餐乱收费"),
        ("B1", "OP-B", "320100", "billing", "2026-03-02", "多扣话费_100%"),
        ("B2", "OP-B", "330100", "attitude", "2026-05-01", "态度差"),
    ]
    for ext, op, region, issue, day, summary in rows:
        r = await client.post(
            "/complaints",
            json={
                "external_id": ext,
                "operator": op,
                "region": region,
                "issue": issue,
                "received_at": day,
                "summary": summary,
            },
            headers=h,
        )
        assert r.status_code == 201, r.text


async def test_filters_and_paging(client: Any, cast: Any) -> None:
    ids = await operators("OP-A", "OP-B")
    h = cast.headers("analyst")
    await _seed(client, cast.headers("inspector1"))

    async def ext(**params: Any) -> list[str]:
        r = await client.get("/complaints", params=params, headers=h)
        assert r.status_code == 200, r.text
        return [c["external_id"] for c in r.json()]

    assert await ext() == ["B2", "B1", "A3", "A2", "A1"]  # newest first
    assert await ext(operator_id=ids["OP-A"]) == ["A3", "A2", "A1"]
    assert await ext(region="320100") == ["B1", "A1"]
    assert await ext(region="32") == ["B1", "A2", "A1"]  # a province: its prefectures
    assert await ext(issue="billing", operator_id=ids["OP-B"]) == ["B1"]
    assert await ext(since="2026-03-02", until="2026-04-01") == ["B1", "A3", "A2"]
    assert await ext(q="多扣") == ["B1", "A1"]
    assert await ext(q="_100%") == ["B1"]  # LIKE wildcards in the text are literal
    assert await ext(q="%") == ["B1"]
    assert await ext(limit=2) == ["B2", "B1"]
    assert await ext(limit=2, offset=2) == ["A3", "A2"]
    assert await ext(limit=2, offset=4) == ["A1"]
    r = await client.get("/complaints", params={"since": "2026-05-01", "until": "2026-01-01"},
                         headers=h)  # fmt: skip
    assert r.status_code == 400 and r.json()["field"] == "since"
    r = await client.get("/complaints", params={"limit": 0}, headers=h)
    assert r.status_code == 400
    r = await client.get("/complaints", headers=cast.headers("op_a"))
    assert r.status_code == 403  # staff only, as the triggers


async def test_page_lists_filters_and_pages(client: Any, cast: Any, monkeypatch: Any) -> None:
    from audit.web.pages import complaints as page

    monkeypatch.setattr(page, "PAGE_SIZE", 2)
    await operators("OP-A", "OP-B")
    await _seed(client, cast.headers("inspector1"))
    await form_login(client, "analyst")
    r = await client.get("/ui/complaints")
    assert r.status_code == 200
    assert "data-id" in r.text and "B2" in r.text and "B1" in r.text and "A3" not in r.text
    assert 'rel="next"' in r.text and 'rel="prev"' not in r.text
    r = await client.get("/ui/complaints", params={"offset": 4})
    assert "A1" in r.text and 'rel="next"' not in r.text and 'rel="prev"' in r.text
    r = await client.get("/ui/complaints", params={"region": "32", "issue": "billing"})
    assert "B1" in r.text and "A1" in r.text and "A2" not in r.text
    assert "offset=2" not in r.text  # two rows: no next page
    r = await client.get("/ui/complaints", params={"since": "2026-05-01", "until": "2026-01-01"})
    assert r.status_code == 422 and "field-error" in r.text


async def test_page_empty_filter_fields_mean_any(client: Any, cast: Any) -> None:
    await operators("OP-A", "OP-B")
    await _seed(client, cast.headers("inspector1"))
    await form_login(client, "analyst")
    # the form sends every field; empty ones are "any" (a browser never omits them)
    r = await client.get(
        "/ui/complaints?operator_id=&issue=&region=&source=&since=&until=&q=%E5%A4%9A%E6%89%A3"
    )
    assert r.status_code == 200 and "B1" in r.text and "A1" in r.text and "A2" not in r.text
    r = await client.get("/ui/complaints?operator_id=x&since=2026-13-01")
    assert r.status_code == 422 and 'id="e-since"' in r.text
