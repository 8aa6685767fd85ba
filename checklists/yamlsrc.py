"""YAML loading that remembers the line of every key and item.

PyYAML's ``safe_load`` throws line numbers away; ``compose`` keeps them on the nodes. We build
plain Python data from the node tree and a map ``path -> line`` so that schema errors (whose
location is a path such as ``("sections", 0, "items", 2, "severity")``) can be reported as
``file:line``. Duplicate mapping keys, which ``safe_load`` silently overwrites, are reported.

Every YAML text that comes from a user goes through :class:`StrictLoader` — here and in
:func:`safe_load` for files that need no line map (complaint mappings, holiday overrides, chat
profiles …): anchors and aliases are refused (a few hundred bytes of nested aliases expand to
gigabytes: the "billion laughs"), and so is input over ``MAX_BYTES`` or ``MAX_NODES``. Each
refusal names its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

PathKey = str | int
Path = tuple[PathKey, ...]


@dataclass
class Located:
    """Data loaded from YAML plus the 1-based line of each path in it."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[Path, int]] = field(default_factory=list)

    def line_of(self, path: tuple[Any, ...]) -> int:
        """Line of ``path`` or of its nearest recorded ancestor (1 if nothing matches)."""
        p: tuple[Any, ...] = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


# Far above any real checklist (the largest shipped one is ~17 kB and ~1,500 nodes).
MAX_BYTES = 1_000_000
MAX_NODES = 50_000


class YamlSyntaxError(ValueError, yaml.YAMLError):
    """The text is not YAML we accept (syntax, aliases, size); carries the line of the problem.

    Also a ``yaml.YAMLError``, so callers that catch PyYAML's errors catch this one too.
    """

    def __init__(self, line: int, message: str, source: str | None = None) -> None:
        super().__init__(f"{source}:{line}: {message}" if source else f"line {line}: {message}")
        self.line = line
        self.message = message
        self.source = source


class StrictLoader(yaml.SafeLoader):
    """``SafeLoader`` without anchors/aliases and with a node budget."""

    max_nodes = MAX_NODES

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        event = self.peek_event()
        line = int(event.start_mark.line) + 1 if event.start_mark else 1
        if isinstance(event, AliasEvent):
            raise YamlSyntaxError(line, f"aliases (*{event.anchor}) are not allowed")
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise YamlSyntaxError(line, f"anchors (&{event.anchor}) are not allowed")
        self._nodes += 1
        if self._nodes > self.max_nodes:
            raise YamlSyntaxError(line, f"more than {self.max_nodes} YAML nodes")
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def _check_size(text: str, max_bytes: int) -> None:
    # len(str) ≤ UTF-8 length ≤ 4 × len(str): encode only when it could matter
    if len(text) > max_bytes or (4 * len(text) > max_bytes and len(text.encode()) > max_bytes):
        raise YamlSyntaxError(1, f"larger than {max_bytes} bytes")


def compose(text: str, max_bytes: int = MAX_BYTES) -> Node | None:
    """The node tree of one YAML document, under the limits above."""
    _check_size(text, max_bytes)
    try:
        loader = StrictLoader(text)
    except yaml.reader.ReaderError as exc:
        # PyYAML's reader checks every character up front (C0/C1 controls, U+FFFE …): it raises
        # before parsing, and the error carries a position instead of a mark.
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise YamlSyntaxError(
            line, f"unacceptable character #x{exc.character:04x}: {exc.reason}"
        ) from exc
    try:
        return loader.get_single_node()
    except YamlSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        raise YamlSyntaxError(line, str(exc.problem or exc.context or exc)) from exc
    except yaml.YAMLError as exc:  # e.g. more than one document
        raise YamlSyntaxError(1, str(exc)) from exc
    finally:
        loader.dispose()


def safe_load(text: str, source: str | None = None, max_bytes: int = MAX_BYTES) -> Any:
    """``yaml.safe_load`` under the limits above; errors are ``source:line: message``."""
    try:
        node = compose(text, max_bytes)
    except YamlSyntaxError as exc:
        raise YamlSyntaxError(exc.line, exc.message, source) from None
    if node is None:
        return None
    try:
        return SafeConstructor().construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        raise YamlSyntaxError(line, str(exc.problem or exc), source) from exc


def safe_load_file(path: str | FilePath, max_bytes: int = MAX_BYTES) -> Any:
    """Read and :func:`safe_load` a UTF-8 file; a file over the limit is not even read."""
    path = FilePath(path)
    if path.stat().st_size > max_bytes:
        raise YamlSyntaxError(1, f"larger than {max_bytes} bytes", str(path))
    return safe_load(path.read_text(encoding="utf-8"), str(path), max_bytes)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


class _Builder:
    def __init__(self) -> None:
        self.constructor = SafeConstructor()
        self.located = Located(data=None)

    def build(self, node: Node, path: Path) -> Any:
        self.located.lines.setdefault(path, _line(node))
        if isinstance(node, MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlSyntaxError(_line(key_node), "merge keys (<<) are not supported")
                key = self.build_scalar(key_node)
                if not isinstance(key, str | int):
                    raise YamlSyntaxError(_line(key_node), "mapping keys must be text")
                child: Path = (*path, key)
                if key in out:
                    self.located.duplicate_keys.append((child, _line(key_node)))
                self.located.lines[child] = _line(key_node)
                out[key] = self.build(value_node, child)
            return out
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.build_scalar(node)

    def build_scalar(self, node: Node) -> Any:
        if not isinstance(node, ScalarNode):
            raise YamlSyntaxError(_line(node), "expected a plain value here")
        return self.constructor.construct_object(node, deep=True)


def load_located(text: str, max_bytes: int = MAX_BYTES) -> Located:
    """Parse one YAML document, keeping line numbers. Raises :class:`YamlSyntaxError`."""
    node = compose(text, max_bytes)
    builder = _Builder()
    if node is None:
        builder.located.lines[()] = 1
        return builder.located
    builder.located.data = builder.build(node, ())
    return builder.located
