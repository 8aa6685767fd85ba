"""CSV import: every record ends up imported or rejected with its line — nothing in between
(issue 16 item 11), through ``POST /complaints/import`` on both databases.

Before: an unterminated quote swallowed the next good rows (neither imported nor rejected);
one GBK row rejected the whole UTF-8 file with a server temp path and a byte offset; a
duplicate header column silently used the last one; a changed row re-imported was counted
``already_present``; a field over 1 MiB was a 500."""

from __future__ import annotations

from typing import Any

from audit.domain.complaints.tables import Complaint

from .helpers import operators

HEADER = "external_id,operator,region,issue,received_at,channel,summary\n"


def row(ext: str, summary: str = "ok", day: str = "2026-03-01") -> str:
    return f"{ext},OP-A,320100,billing,{day},hotline,{summary}\n"


async def upload(client: Any, cast: Any, body: bytes, **params: str) -> Any:
    return await client.post(
        "/complaints/import",
        content=body,
        params=params,
        headers={**cast.headers("inspector1"), "Content-Type": "text/csv"},
    )


async def stored() -> dict[str, str]:
    rows = await Complaint.select(Complaint.external_id, Complaint.summary)
    return {r["external_id"]: r["summary"] for r in rows}


def rejects(r: Any) -> list[tuple[int, str | None, str]]:
    return [(e["line"], e["field"], e["reason"]) for e in r.json()["rejects"]]


async def test_unterminated_quote_rejects_its_line_only(client: Any, cast: Any) -> None:
    await operators("OP-A")
    text = HEADER + row("A") + 'B,OP-A,320100,billing,2026-03-01,hotline,"never closed\n'
    text += row("C") + row("D") + 'E,OP-A,320100,billing,2026-03-01,web,"two\nlines"\n'
    r = await upload(client, cast, text.encode())
    assert r.status_code == 200, r.text
    assert set(await stored()) == {"A", "C", "D", "E"}
    ((line, field, reason),) = rejects(r)
    assert (line, field) == (3, None) and "unterminated quoted field" in reason
    body = r.json()
    assert body["records"] == 5 and body["imported"] == 4 and body["rejected"] == 1


async def test_a_gbk_row_in_a_utf8_file(client: Any, cast: Any) -> None:
    await operators("OP-A")
    body = (HEADER + row("A", "信号差")).encode("utf-8")
    body += row("B", "收费错误").encode("gbk")  # one row saved in another encoding
    body += (row("C", "态度不好") + row("D", "多收费")).encode("utf-8")
    r = await upload(client, cast, body)
    assert r.status_code == 200, r.text
    assert await stored() == {"A": "信号差", "C": "态度不好", "D": "多收费"}
    ((line, _, reason),) = rejects(r)
    assert line == 3 and "not valid utf-8" in reason
    for leak in ("/tmp", "upload.csv", "position", "byte"):
        assert leak not in r.text


async def test_duplicate_header_column_is_an_error(client: Any, cast: Any) -> None:
    await operators("OP-A")
    text = HEADER.rstrip("\n") + ",summary\n" + "A,OP-A,320100,billing,2026-03-01,hotline,x,y\n"
    r = await upload(client, cast, text.encode())
    assert r.status_code == 400, r.text
    assert r.json()["field"] == "body" and "column 'summary' twice" in r.json()["detail"]
    assert await stored() == {}


async def test_changed_row_reimported_is_a_conflict(client: Any, cast: Any) -> None:
    await operators("OP-A")
    r = await upload(client, cast, (HEADER + row("A") + row("B")).encode())
    assert r.json()["imported"] == 2
    again = HEADER + row("A") + row("B", summary="changed", day="2026-03-02") + row("C")
    r = await upload(client, cast, again.encode())
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["imported"], out["already_present"], out["conflicts"]) == (1, 1, 1)
    ((line, field, reason),) = rejects(r)
    assert (line, field) == (3, "external_id")
    assert reason.startswith("conflict: default/B") and "received_on" in reason
    assert "summary" in reason
    assert (await stored())["B"] == "ok"  # the stored complaint is kept


async def test_oversized_field_nul_and_year_one_are_row_rejects(client: Any, cast: Any) -> None:
    await operators("OP-A")
    huge = "长" * ((1 << 20) + 1)
    text = HEADER + row("A") + row("B", summary=huge) + row("C", summary="a\x00b")
    text += row("D", day="0001-01-01") + row("E")
    r = await upload(client, cast, text.encode())
    assert r.status_code == 200, r.text[:300]
    assert set(await stored()) == {"A", "E"}
    got = {line: (field, reason) for line, field, reason in rejects(r)}
    assert set(got) == {3, 4, 5}
    assert "larger than 1 MiB" in got[3][1]
    assert "NUL" in got[4][1]
    assert got[5] == ("received_at", "received_at 0001-01-01 is before 2000")


async def test_cli_rejects_file_keeps_the_undecodable_row(db: str, tmp_path: Any) -> None:
    """``audit complaints import``: the GBK row is in the rejects file by line, the others are
    imported, and the command prints no traceback."""
    import csv
    import json
    import os
    import subprocess
    import sys

    await operators("OP-A")
    src = tmp_path / "mixed.csv"
    src.write_bytes(
        (HEADER + row("A", "信号差")).encode() + row("B", "收费错误").encode("gbk")
        + ('C,OP-A,320100,billing,2026-03-01,hotline,"open\n' + row("D")).encode()
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "audit", "complaints", "import", str(src), "--no-followups"],
        capture_output=True, text=True, env=os.environ.copy(), timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["records"], summary["imported"], summary["rejected"]) == (4, 2, 2)
    with open(tmp_path / "mixed.rejects.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[0] for r in rows[1:]] == ["3", "4"]
    assert "not valid utf-8" in rows[1][2] and rows[1][3].startswith("B,OP-A,320100")
    assert "unterminated" in rows[2][2]
    assert set(await stored()) == {"A", "D"}
