"""Evidence uploads: content-addressed, sniffed by magic bytes, size-limited, attributed."""

from __future__ import annotations

import hashlib
import os
from typing import Any

import pytest

from audit.domain.evidence.services import evidence_root
from audit.domain.evidence.store import blob_path
from audit.domain.evidence.tables import Evidence
from tests.integration.plans.world import PDF, PNG, World, active_plan, unique_png, wav_bytes


async def _inspection(client: Any, world: World) -> int:
    plan = await active_plan(client, world)
    r = await client.post(
        f"/plans/{plan['id']}/inspections",
        json={"venue_id": world.venues["hall_hz"]["id"]},
        headers=world.cast.headers("inspector1"),
    )
    return int(r.json()["id"])


async def _upload(client: Any, world: World, iid: int, name: str, data: bytes, kind: str) -> Any:
    return await client.post(
        f"/inspections/{iid}/items/environment.clean/evidence",
        files={"file": (name, data)},
        data={"kind": kind},
        headers=world.cast.headers("inspector1"),
    )


async def test_upload_is_stored_under_its_sha256(client: Any, world: World) -> None:
    iid = await _inspection(client, world)
    png = unique_png("upload")
    r = await _upload(client, world, iid, "大厅.jpg", png, "photo")  # name says jpg, bytes are PNG
    assert r.status_code == 201, r.text
    ev = r.json()
    digest = hashlib.sha256(png).hexdigest()
    assert ev["sha256"] == digest and ev["size"] == len(png)
    assert ev["media_type"] == "image/png"  # from the content, not the name
    assert ev["uploaded_by_id"] == world.uid("inspector1") and ev["uploaded_at"]
    path = blob_path(evidence_root(), digest)
    assert path.read_bytes() == png
    assert path.parent.parent.name == digest[:2]
    item = (await client.get(f"/inspections/{iid}", headers=world.cast.headers("admin"))).json()[
        "answers"
    ]
    assert [e["id"] for e in item[0]["evidence"]] == [ev["id"]]
    r = await client.get(f"/evidence/{ev['id']}/content", headers=world.cast.headers("analyst"))
    assert r.status_code == 200 and r.content == png


async def test_recording_kind_accepts_wav(client: Any, world: World) -> None:
    iid = await _inspection(client, world)
    r = await _upload(client, world, iid, "call.wav", wav_bytes(), "recording")
    assert r.status_code == 201 and r.json()["media_type"] == "audio/wav"


@pytest.mark.parametrize(
    ("name", "data", "kind", "status", "text"),
    [
        ("photo.jpg", PDF, "photo", 415, "application/pdf, not a photo"),
        ("photo.png", b"MZ\x90\x00" + b"\x00" * 60, "photo", 415, "application/x-executable"),
        ("call.wav", PNG, "recording", 415, "image/png, not a recording"),
        ("empty.png", b"", "photo", 400, "empty"),
    ],
)
async def test_disguised_or_empty_uploads_are_refused(
    client: Any, world: World, name: str, data: bytes, kind: str, status: int, text: str
) -> None:
    iid = await _inspection(client, world)
    data = data + os.urandom(8) if data else data  # bytes no other test stored
    r = await _upload(client, world, iid, name, data, kind)
    assert r.status_code == status, r.text
    assert text in r.json()["detail"]
    assert await Evidence.count() == 0
    assert not blob_path(evidence_root(), hashlib.sha256(data).hexdigest()).exists()


async def test_oversized_upload_is_refused(
    client: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    iid = await _inspection(client, world)
    monkeypatch.setenv("AUDIT_EVIDENCE_MAX_BYTES", "40")
    r = await _upload(client, world, iid, "big.png", PNG, "photo")
    assert r.status_code == 413 and "limit is 40" in r.json()["detail"]
    assert await Evidence.count() == 0


async def test_unknown_kind_is_refused(client: Any, world: World) -> None:
    iid = await _inspection(client, world)
    r = await _upload(client, world, iid, "x.png", PNG, "video")
    assert r.status_code == 400
    assert await Evidence.count() == 0
