"""``POST /checklists`` and ``PUT /checklists/versions/{id}`` refuse YAML anchors and aliases
with a 400 naming the line (issue 16 item 2); nothing is stored. (The full alias bomb is
refused by the same loader: tests/unit/checklists/test_checklist_yaml_limits.py.)"""

from __future__ import annotations

from typing import Any

from checklists.loader import CHECKLIST_DIR

INFO = (CHECKLIST_DIR / "info_line.yaml").read_text(encoding="utf-8")
# Valid checklist text with a small alias bomb in an extra key (9^3 strings once expanded).
BOMBED = (
    'x-bomb-a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    "x-bomb-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "x-bomb-c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" + INFO
)


async def test_post_and_put_refuse_aliases(client: Any, cast: Any) -> None:
    headers = cast.headers("supervisor")
    r = await client.post("/checklists", json={"yaml": BOMBED}, headers=headers)
    assert r.status_code == 400, r.text
    assert r.json() == {
        "status_code": 400,
        "detail": "<upload>:1: YAML syntax: anchors (&a) are not allowed",
        "field": "yaml",
    }
    assert (await client.get("/checklists", headers=headers)).json() == []

    r = await client.post("/checklists", json={"yaml": INFO}, headers=headers)
    assert r.status_code == 201, r.text
    vid = r.json()["id"]
    r = await client.put(f"/checklists/versions/{vid}", json={"yaml": BOMBED}, headers=headers)
    assert r.status_code == 400 and "anchors (&a) are not allowed" in r.json()["detail"]
