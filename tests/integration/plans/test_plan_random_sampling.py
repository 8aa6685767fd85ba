"""Random sampling (seed 004 Art. 5) is reproducible from the stored seed and stored."""

from __future__ import annotations

from typing import Any

import pytest

from audit.domain.plans.sampling import draw_sample
from tests.integration.plans.world import World


def test_draw_is_a_function_of_candidates_size_and_seed() -> None:
    candidates = list(range(1, 41))
    first = draw_sample(candidates, 7, "2026-q1")
    assert first == draw_sample(list(reversed(candidates)), 7, "2026-q1")
    assert len(set(first)) == 7 and set(first) <= set(candidates)
    assert draw_sample(candidates, 7, "2026-q2") != first
    # growing the sample keeps the earlier draws (rank order is fixed by the seed)
    assert draw_sample(candidates, 10, "2026-q1")[:7] == first


def test_bad_sample_sizes() -> None:
    with pytest.raises(ValueError, match="larger than the 3 candidate"):
        draw_sample([1, 2, 3], 4, "s")
    with pytest.raises(ValueError):
        draw_sample([1, 2, 3], 0, "s")


def _random_body(world: World, **kw: Any) -> dict[str, Any]:
    v = world.venues
    return world.plan_body(
        sampling="random",
        venue_ids=[
            v["hall_hz"]["id"],
            v["hall_nb"]["id"],
            v["agency_bj"]["id"],
            v["hotline"]["id"],
        ],
        checklist_version_ids=[
            world.versions[k]["id"] for k in ("business-hall", "agency-point", "hotline")
        ],
        **kw,
    )


async def test_sample_is_stored_and_reproducible(client: Any, world: World) -> None:
    headers = world.cast.headers("admin")
    one = (
        await client.post(
            "/plans",
            json=_random_body(world, sample_size=2, sample_seed="浙江-2026"),
            headers=headers,
        )
    ).json()
    two = (
        await client.post(
            "/plans",
            json=_random_body(world, sample_size=2, sample_seed="浙江-2026"),
            headers=headers,
        )
    ).json()
    assert one["sample"] == two["sample"]
    assert len(one["sample"]) == 2
    assert one["sample"] == draw_sample([v["venue_id"] for v in one["venues"]], 2, "浙江-2026")
    stored = (await client.get(f"/plans/{one['id']}", headers=headers)).json()
    assert stored["sample"] == one["sample"]
    assert sum(v["in_sample"] for v in stored["venues"]) == 2
    assert len(stored["venues"]) == 4  # the population stays recorded too


async def test_seed_is_generated_and_stored_when_not_given(client: Any, world: World) -> None:
    headers = world.cast.headers("admin")
    plan = (
        await client.post("/plans", json=_random_body(world, sample_size=3), headers=headers)
    ).json()
    assert plan["sample_seed"]
    redraw = draw_sample([v["venue_id"] for v in plan["venues"]], 3, plan["sample_seed"])
    assert redraw == plan["sample"]


async def test_random_sampling_needs_a_size_within_the_population(
    client: Any, world: World
) -> None:
    headers = world.cast.headers("admin")
    r = await client.post("/plans", json=_random_body(world), headers=headers)
    assert r.status_code == 400 and r.json()["field"] == "sample_size"
    r = await client.post("/plans", json=_random_body(world, sample_size=5), headers=headers)
    assert r.status_code == 400 and "larger than the 4" in r.json()["detail"]
    r = await client.post("/plans", json=world.plan_body(sample_size=1), headers=headers)
    assert r.status_code == 400 and "random sampling" in r.json()["detail"]
