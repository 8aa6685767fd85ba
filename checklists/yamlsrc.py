"""YAML loading that remembers the line of every key and item.

PyYAML's ``safe_load`` throws line numbers away; ``compose`` keeps them on the nodes. We build
plain Python data from the node tree and a map ``path -> line`` so that schema errors (whose
location is a path such as ``("sections", 0, "items", 2, "severity")``) can be reported as
``file:line``. Duplicate mapping keys, which ``safe_load`` silently overwrites, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
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


class YamlSyntaxError(ValueError):
    """The text is not YAML at all; carries the line of the problem."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


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


def load_located(text: str) -> Located:
    """Parse one YAML document, keeping line numbers. Raises :class:`YamlSyntaxError`."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        raise YamlSyntaxError(line, str(exc.problem or exc.context or exc)) from exc
    except yaml.YAMLError as exc:  # e.g. more than one document
        raise YamlSyntaxError(1, str(exc)) from exc
    builder = _Builder()
    if node is None:
        builder.located.lines[()] = 1
        return builder.located
    builder.located.data = builder.build(node, ())
    return builder.located
