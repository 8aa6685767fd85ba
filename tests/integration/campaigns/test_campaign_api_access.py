"""Who may do what with campaigns over the API; bad input answers 4xx naming the field."""

from typing import Any

from campaign_live import campaign_body


async def create(client: Any, setup: dict[str, Any], who: str = "inspector1") -> Any:
    cast = setup["cast"]
    return await client.post(
        "/campaigns", json=campaign_body(setup, runs=1), headers=cast.headers(who)
    )


async def test_inspector_creates_and_reads(client: Any, plan_setup: dict[str, Any]) -> None:
    r = await create(client, plan_setup)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    h = plan_setup["cast"].headers("analyst")
    assert (await client.get(f"/campaigns/{cid}", headers=h)).status_code == 200
    r = await client.get(f"/campaigns/{cid}/progress", headers=h)
    assert r.status_code == 200 and r.json()["total"] == 0


async def test_analyst_may_not_create(client: Any, plan_setup: dict[str, Any]) -> None:
    assert (await create(client, plan_setup, "analyst")).status_code == 403


async def test_unassigned_inspector_and_operators_do_not_see_it(
    client: Any, plan_setup: dict[str, Any]
) -> None:
    cid = (await create(client, plan_setup)).json()["id"]
    cast = plan_setup["cast"]
    for who in ("inspector2", "op_a", "op_b"):
        r = await client.get(f"/campaigns/{cid}", headers=cast.headers(who))
        assert r.status_code == 404, (who, r.text)
        r = await client.get("/campaigns", headers=cast.headers(who))
        assert r.status_code == 200 and r.json() == [], who


async def test_bad_input_names_the_field(client: Any, plan_setup: dict[str, Any]) -> None:
    h = plan_setup["cast"].headers("inspector1")
    body = campaign_body(plan_setup, runs=1)
    body["schedule"]["caller_ids"] = ["12345"]
    r = await client.post("/campaigns", json=body, headers=h)
    assert r.status_code == 400 and "caller_ids" in r.text, r.text
    body = campaign_body(plan_setup, runs=1)
    body["targets"] = [{"venue_id": plan_setup["other_venue"]}]
    r = await client.post("/campaigns", json=body, headers=h)
    assert r.status_code == 400 and r.json()["field"] == "targets[0].venue_id", r.text
    cid = (await create(client, plan_setup)).json()["id"]
    r = await client.post(f"/campaigns/{cid}/transitions", json={"action": "resume"}, headers=h)
    assert r.status_code == 409 and r.json()["field"] == "action", r.text


async def test_sample_size_endpoint(client: Any, plan_setup: dict[str, Any]) -> None:
    h = plan_setup["cast"].headers("analyst")
    r = await client.get("/campaigns/sample-size?margin=0.05", headers=h)
    assert r.status_code == 200 and r.json()["runs_needed"] == 385
    r = await client.get("/campaigns/sample-size?margin=0.05&population=1000", headers=h)
    assert r.json()["runs_needed"] == 278
    assert (await client.get("/campaigns/sample-size?margin=2", headers=h)).status_code == 400


async def test_statistics_band_edges_are_checked(client: Any, plan_setup: dict[str, Any]) -> None:
    cid = (await create(client, plan_setup)).json()["id"]
    h = plan_setup["cast"].headers("inspector1")
    r = await client.get(f"/campaigns/{cid}/statistics?bands=8,12,20", headers=h)
    assert r.status_code == 200 and r.json()["campaign"]["attempts"] == 0
    r = await client.get(f"/campaigns/{cid}/statistics?bands=12,8", headers=h)
    assert r.status_code == 400 and r.json()["field"] == "bands", r.text
