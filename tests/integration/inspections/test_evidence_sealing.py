"""Seed 004 Art. 7: evidence can be sealed; sealed evidence cannot be replaced or removed, and a
stored file whose hash no longer matches is reported as tampered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from audit.domain.evidence.services import blob_file, get_evidence, verify_all
from tests.integration.plans.world import (
    JPEG,
    World,
    active_plan,
    completed_plan,
    submit_confirmed,
    unique_png,
)


async def _attached(client: Any, world: World) -> tuple[int, dict[str, Any]]:
    plan = await active_plan(client, world)
    h = world.cast.headers("inspector1")
    iid = (
        await client.post(
            f"/plans/{plan['id']}/inspections",
            json={"venue_id": world.venues["hall_hz"]["id"]},
            headers=h,
        )
    ).json()["id"]
    data = unique_png("sealing")
    r = await client.post(
        f"/inspections/{iid}/items/environment.clean/evidence",
        files={"file": ("a.png", data)},
        data={"kind": "photo"},
        headers=h,
    )
    return iid, {**r.json(), "bytes": data}


async def test_unsealed_evidence_can_be_detached(client: Any, world: World) -> None:
    iid, ev = await _attached(client, world)
    r = await client.delete(
        f"/inspections/{iid}/items/environment.clean/evidence/{ev['id']}",
        headers=world.cast.headers("inspector1"),
    )
    assert r.status_code == 204
    assert (
        await client.get(f"/evidence/{ev['id']}", headers=world.cast.headers("admin"))
    ).status_code == 404


async def test_sealed_evidence_cannot_be_detached_or_resealed(client: Any, world: World) -> None:
    iid, ev = await _attached(client, world)
    h = world.cast.headers("inspector1")
    r = await client.post(f"/evidence/{ev['id']}/seal", headers=h)
    assert r.status_code == 200 and r.json()["sealed"] is True and r.json()["sealed_by_name"]
    assert (await client.post(f"/evidence/{ev['id']}/seal", headers=h)).status_code == 409
    r = await client.delete(
        f"/inspections/{iid}/items/environment.clean/evidence/{ev['id']}", headers=h
    )
    assert r.status_code == 409 and "sealed" in r.json()["detail"]
    assert (await get_evidence(ev["id"]))["sealed"] is True
    # uploading other bytes adds evidence; it never replaces the sealed file
    r = await client.post(
        f"/inspections/{iid}/items/environment.clean/evidence",
        files={"file": ("a.png", JPEG)},
        data={"kind": "photo"},
        headers=h,
    )
    assert r.status_code == 201 and r.json()["id"] != ev["id"]
    assert blob_file(await get_evidence(ev["id"])).read_bytes() == ev["bytes"]


async def test_submit_seals_the_inspection_evidence(client: Any, world: World) -> None:
    plan = await completed_plan(client, world)
    admin = world.cast.headers("admin")
    [ins] = (await client.get(f"/inspections?plan_id={plan['id']}", headers=admin)).json()
    assert ins["status"] == "submitted"
    iid, ev = await _attached(client, world)
    version = (
        await client.get(
            f"/checklists/versions/{world.versions['business-hall']['id']}", headers=admin
        )
    ).json()
    h = world.cast.headers("inspector1")
    for s in version["content"]["sections"]:
        for item in s["items"]:
            await client.put(
                f"/inspections/{iid}/items/{item['id']}", json={"result": "pass"}, headers=h
            )
    await submit_confirmed(client, world, iid)
    assert (await get_evidence(ev["id"]))["sealed"] is True


async def test_tampered_file_is_reported(client: Any, world: World) -> None:
    _, ev = await _attached(client, world)
    admin = world.cast.headers("admin")
    assert (await client.get(f"/evidence/{ev['id']}/verify", headers=admin)).json()[
        "status"
    ] == "ok"
    path: Path = blob_file(await get_evidence(ev["id"]))
    os.chmod(path, 0o644)
    path.write_bytes(ev["bytes"] + b"edited")
    r = await client.get(f"/evidence/{ev['id']}/verify", headers=admin)
    assert r.json()["status"] == "tampered" and r.json()["actual"] != ev["sha256"]
    assert (await client.get(f"/evidence/{ev['id']}/content", headers=admin)).status_code == 409
    assert [v["status"] for v in await verify_all() if v["id"] == ev["id"]] == ["tampered"]
    # re-uploading the genuine bytes restores the file; the forged one is kept aside
    iid2, _ = await _attached(client, world)
    r = await client.post(
        f"/inspections/{iid2}/items/environment.clean/evidence",
        files={"file": ("again.png", ev["bytes"])},
        data={"kind": "photo"},
        headers=world.cast.headers("inspector1"),
    )
    assert r.status_code == 201
    assert (await client.get(f"/evidence/{ev['id']}/verify", headers=admin)).json()[
        "status"
    ] == "ok"
    assert [p.name for p in path.parent.glob(f"{ev['sha256']}.tampered-*")]
    path.unlink()
    assert (await client.get(f"/evidence/{ev['id']}/verify", headers=admin)).json()[
        "status"
    ] == "missing"


async def test_cli_verify_exits_non_zero_on_tampering(client: Any, world: World) -> None:
    _, ev = await _attached(client, world)
    cmd = [sys.executable, "-c", "from audit.cli import main; main()", "evidence", "verify"]
    ok = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert ok.returncode == 0, ok.stderr
    path = blob_file(await get_evidence(ev["id"]))
    os.chmod(path, 0o644)
    path.write_bytes(b"\x89PNG\r\n\x1a\nforged")
    bad = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert bad.returncode == 1
    assert f"evidence {ev['id']}: tampered" in bad.stderr
