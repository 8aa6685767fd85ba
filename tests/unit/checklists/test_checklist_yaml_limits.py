"""User YAML goes through one strict loader (issue 16 item 2): anchors and aliases are refused
with ``file:line``, and so is input over the size or node budget. The alias bomb of the issue
(a few hundred bytes that expand to 387 million strings) is refused at its first anchor."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checklists import yamlsrc
from checklists.loader import validate_file, validate_text
from checklists.yamlsrc import YamlSyntaxError, load_located, safe_load

BOMB = Path(__file__).parents[2] / "fixtures" / "yaml" / "alias_bomb.yaml"
# A small bomb: 9^3 strings once expanded; harmless for the old loader, which accepted it.
SMALL_BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'


@pytest.mark.parametrize("load", [safe_load, load_located], ids=["safe_load", "load_located"])
def test_anchor_refused_with_its_line(load: object) -> None:
    with pytest.raises(YamlSyntaxError) as err:
        load("title: ok\nitems:\n  - &first {id: 1}\n")  # type: ignore[operator]
    assert err.value.line == 3 and "anchors (&first) are not allowed" in err.value.message


def test_alias_without_anchor_is_refused_too() -> None:
    with pytest.raises(YamlSyntaxError) as err:
        safe_load("x: 1\ny: *nowhere\n", "f.yaml")
    # PyYAML reports an undefined alias itself; either way the line is named
    assert str(err.value).startswith("f.yaml:2: ")


def test_small_bomb_is_refused_not_expanded() -> None:
    with pytest.raises(YamlSyntaxError, match="anchors"):
        safe_load(SMALL_BOMB)


def test_checklist_validation_names_file_and_line() -> None:
    cl, problems = validate_text(SMALL_BOMB, "upload.yaml")
    assert cl is None
    assert [str(p) for p in problems] == [
        "upload.yaml:1: YAML syntax: anchors (&a) are not allowed"
    ]


def test_size_and_node_budget(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(YamlSyntaxError, match="larger than 100 bytes"):
        safe_load("x: " + "y" * 200, max_bytes=100)
    monkeypatch.setattr(yamlsrc.StrictLoader, "max_nodes", 50)
    with pytest.raises(YamlSyntaxError, match="more than 50 YAML nodes") as err:
        safe_load("items:\n" + "".join(f"  - {i}\n" for i in range(100)))
    assert err.value.line > 40
    monkeypatch.setattr(yamlsrc, "MAX_BYTES", 10)
    big = tmp_path / "big.yaml"
    big.write_text("title: 0123456789\n")
    monkeypatch.setattr("checklists.loader.MAX_BYTES", 10)
    _, problems = validate_file(big)
    assert [p.message for p in problems] == ["larger than 10 bytes"]


def test_the_issue_bomb_is_refused_at_once() -> None:
    """Run in a child limited to 512 MiB of address space: the old loader expanded the aliases
    until it ran out (gigabytes), the new one stops at line 1."""
    code = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
        from checklists.loader import validate_file
        _, problems = validate_file({str(BOMB)!r})
        print("\\n".join(str(p) for p in problems))
        """
    )
    assert resource.RLIM_INFINITY  # (POSIX only)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == f"{BOMB}:1: YAML syntax: anchors (&a) are not allowed"
    assert BOMB.stat().st_size < 430
