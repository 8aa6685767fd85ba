"""A small, safe rule language for binding checklist items to probe measures (no ``eval``).

Grammar::

    rule  := or
    or    := and ("or" and)*
    and   := not ("and" not)*
    not   := "not" not | "(" rule ")" | test
    test  := MEASURE [OP value]          # a bare MEASURE must be a bool
    OP    := "==" | "!=" | "<=" | "<" | ">=" | ">" | "in" | "not in"
           | "contains" | "not contains"       # list measure holds / lacks a value
    value := NUMBER | "quoted" | true | false | null | params.NAME | WORD | "[" value, ... "]"

The left side is always a measure name (dotted path into the measures). A bare word on the right
is text (``silent_call.verdict == pass``); ``params.NAME`` reads the binding's protocol
parameters, so a threshold can live in data (``answer_seconds <= params.max_answer_seconds``).

Evaluation is three-valued: a missing or null measure gives ``None`` ("cannot judge"), and
``and``/``or``/``not`` follow Kleene logic. Comparing values of different kinds is an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_MISSING = object()


class RuleError(ValueError):
    """Bad rule syntax, or a measure of the wrong kind at evaluation time."""


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Param:
    name: str


@dataclass(frozen=True)
class ListValue:
    items: tuple[Literal | Param, ...]


Value = Literal | Param | ListValue


@dataclass(frozen=True)
class Comparison:
    measure: str
    op: str | None
    value: Value | None


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Node, ...]


Node = Comparison | Not | BoolOp

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>-?\d+(?:\.\d+)?)(?![\w.])
    | (?P<str>"[^"\\]*"|'[^'\\]*')
    | (?P<op>==|!=|<=|>=|<|>)
    | (?P<punct>[()\[\],])
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    )""",
    re.VERBOSE,
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_KEYWORDS = {"and", "or", "not", "in", "contains"}


def _tokenize(rule: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = rule.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise RuleError(f"unexpected text at column {pos + 1}: {text[pos : pos + 12]!r}")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, rule: str) -> None:
        self.tokens = _tokenize(rule)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise RuleError("rule ends too early")
        self.i += 1
        return tok

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok == ("name", word)

    def parse(self) -> Node:
        if not self.tokens:
            raise RuleError("empty rule")
        node = self.parse_or()
        if self.peek() is not None:
            raise RuleError(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return node

    def parse_or(self) -> Node:
        parts = [self.parse_and()]
        while self.is_word("or"):
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def parse_and(self) -> Node:
        parts = [self.parse_not()]
        while self.is_word("and"):
            self.take()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def parse_not(self) -> Node:
        if self.is_word("not"):
            self.take()
            return Not(self.parse_not())
        if self.peek() == ("punct", "("):
            self.take()
            node = self.parse_or()
            if self.take() != ("punct", ")"):
                raise RuleError("missing ')'")
            return node
        return self.parse_test()

    def parse_test(self) -> Comparison:
        kind, text = self.take()
        if kind != "name" or text in _KEYWORDS or text.startswith("params."):
            raise RuleError(f"expected a measure name, got {text!r}")
        tok = self.peek()
        if tok is None or tok in (("punct", ")"), ("name", "and"), ("name", "or")):
            return Comparison(text, None, None)
        if tok[0] == "op":
            self.take()
            return Comparison(text, tok[1], self.parse_value(allow_list=True))
        if tok == ("name", "in"):
            self.take()
            return Comparison(text, "in", self.parse_list())
        if tok == ("name", "contains"):
            self.take()
            return Comparison(text, "contains", self.parse_value(allow_list=False))
        if tok == ("name", "not"):
            self.take()
            word = self.take()
            if word == ("name", "in"):
                return Comparison(text, "not in", self.parse_list())
            if word == ("name", "contains"):
                return Comparison(text, "not contains", self.parse_value(allow_list=False))
            raise RuleError("expected 'in' or 'contains' after 'not'")
        raise RuleError(f"expected an operator after {text!r}, got {tok[1]!r}")

    def parse_list(self) -> ListValue:
        value = self.parse_value(allow_list=True)
        if not isinstance(value, ListValue):
            raise RuleError("'in' needs a list such as [answered, busy]")
        return value

    def parse_value(self, allow_list: bool) -> Value:
        kind, text = self.take()
        if kind == "num":
            return Literal(float(text) if "." in text else int(text))
        if kind == "str":
            return Literal(text[1:-1])
        if kind == "name":
            if text in _KEYWORDS:
                raise RuleError(f"expected a value, got {text!r}")
            if text.startswith("params."):
                return Param(text.removeprefix("params."))
            return Literal({"true": True, "false": False, "null": None}.get(text, text))
        if (kind, text) == ("punct", "[") and allow_list:
            items: list[Literal | Param] = []
            if self.peek() == ("punct", "]"):
                self.take()
                return ListValue(())
            while True:
                item = self.parse_value(allow_list=False)
                assert not isinstance(item, ListValue)
                items.append(item)
                sep = self.take()
                if sep == ("punct", "]"):
                    return ListValue(tuple(items))
                if sep != ("punct", ","):
                    raise RuleError("expected ',' or ']' in list")
        raise RuleError(f"expected a value, got {text!r}")


@lru_cache(maxsize=512)
def parse_rule(rule: str) -> Node:
    """Parse a rule; raises :class:`RuleError` with a readable message."""
    return _Parser(rule).parse()


def walk_comparisons(node: Node) -> list[Comparison]:
    if isinstance(node, Comparison):
        return [node]
    if isinstance(node, Not):
        return walk_comparisons(node.operand)
    return [t for part in node.operands for t in walk_comparisons(part)]


def lookup_measure(measures: Mapping[str, Any], name: str) -> Any:
    """``name`` as a flat key, else as a dotted path into nested mappings; missing → None."""
    if name in measures:
        return measures[name]
    current: Any = measures
    for part in name.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return None
        current = current[part]
    return current


def _resolve(value: Value, params: Mapping[str, Any]) -> Any:
    if isinstance(value, Literal):
        return value.value
    if isinstance(value, Param):
        if value.name not in params:
            raise RuleError(f"parameter {value.name!r} is not set in the binding's params")
        return params[value.name]
    return [_resolve(item, params) for item in value.items]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list | tuple):
        return "list"
    return type(value).__name__


def _compare(name: str, left: Any, op: str, right: Any) -> bool | None:
    if left is None:
        return None
    if op in ("in", "not in"):
        found = left in right
        return found if op == "in" else not found
    if op in ("contains", "not contains"):
        if not isinstance(left, list | tuple):
            raise RuleError(f"{name}: {op} needs a list measure, got {left!r}")
        found = right in left
        return found if op == "contains" else not found
    if right is None:  # "== null" asks whether the measure is absent; it is present here
        if op in ("==", "!="):
            return op == "!="
        raise RuleError(f"{name}: cannot order-compare with null")
    lk, rk = _kind(left), _kind(right)
    if lk != rk:
        raise RuleError(f"{name} is a {lk} ({left!r}) but is compared with a {rk} ({right!r})")
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if lk != "number":
        raise RuleError(f"{name}: {op} needs numbers, got {lk}")
    return bool(
        {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
    )


def _eval(node: Node, measures: Mapping[str, Any], params: Mapping[str, Any]) -> bool | None:
    if isinstance(node, Comparison):
        left = lookup_measure(measures, node.measure)
        if node.op is None or node.value is None:
            if left is None:
                return None
            if not isinstance(left, bool):
                raise RuleError(f"{node.measure} is used as a yes/no test but is {left!r}")
            return left
        right = _resolve(node.value, params)
        if node.op == "==" and right is None:
            return left is None
        if node.op == "!=" and right is None:
            return left is not None
        return _compare(node.measure, left, node.op, right)
    if isinstance(node, Not):
        inner = _eval(node.operand, measures, params)
        return None if inner is None else not inner
    results = [_eval(part, measures, params) for part in node.operands]
    if node.op == "and":
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def evaluate_rule(
    rule: str, measures: Mapping[str, Any], params: Mapping[str, Any] | None = None
) -> bool | None:
    """True (item passes), False (fails) or None (a measure is missing: cannot judge)."""
    return _eval(parse_rule(rule), measures, params or {})


def check_rule(rule: str, measure_types: Mapping[str, str], params: Mapping[str, Any]) -> list[str]:
    """Static problems of a rule against the measure registry and the binding's params."""
    try:
        node = parse_rule(rule)
    except RuleError as exc:
        return [f"bad rule syntax in {rule!r}: {exc}"]
    problems: list[str] = []
    for test in walk_comparisons(node):
        mtype = measure_types.get(test.measure)
        if mtype is None:
            problems.append(f"rule uses unknown measure {test.measure!r}")
            continue
        if test.op is None or test.value is None:
            if mtype != "bool":
                problems.append(f"{test.measure} is a {mtype}; a bare test needs a bool")
            continue
        try:
            right = _resolve(test.value, params)
        except RuleError as exc:
            problems.append(str(exc))
            continue
        if right is None:
            continue
        if test.op in ("contains", "not contains"):
            if mtype != "list":
                problems.append(f"{test.measure} is a {mtype}; {test.op} needs a list measure")
            continue
        if test.op in ("in", "not in"):
            kinds = {_kind(v) for v in right}
            if kinds - {mtype}:
                problems.append(f"{test.measure} is a {mtype} but the list holds {sorted(kinds)}")
            continue
        if _kind(right) != mtype:
            problems.append(
                f"{test.measure} is a {mtype} but is compared with {right!r} ({_kind(right)})"
            )
        elif test.op in ("<", "<=", ">", ">=") and mtype != "number":
            problems.append(f"{test.measure}: {test.op} needs a number measure")
    return problems


@dataclass(frozen=True)
class Judgement:
    """An item's verdict from measures. ``result`` None: the measures cannot judge the item,
    it has no N/A, and the caller assumed nothing (``unjudged``)."""

    result: str | None  # pass | fail | na | None
    reason: str


def judge(
    rule: str,
    measures: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
    *,
    na_allowed: bool,
    unjudged: str | None = None,
) -> Judgement:
    """The one way an item is judged from measures (manual API and every probe channel):
    the rule true ⇒ pass, false ⇒ fail; cannot judge ⇒ na where allowed, else ``unjudged``
    (a channel whose run is over says "fail"; None leaves the item to the inspector).
    Raises :class:`RuleError` for a measure of the wrong kind."""
    params = params or {}
    ok = evaluate_rule(rule, measures, params)
    names = sorted({c.measure for c in walk_comparisons(parse_rule(rule))})
    shown = ", ".join(f"{n}={lookup_measure(measures, n)!r}" for n in names)
    used = {k: v for k, v in params.items() if f"params.{k}" in rule}
    limits = f" with {used}" if used else ""
    if ok is None:
        result = "na" if na_allowed else unjudged
        return Judgement(result, f"cannot judge: {shown} (rule {rule}{limits})")
    return Judgement(
        "pass" if ok else "fail", f"{shown} {'satisfies' if ok else 'breaks'} {rule}{limits}"
    )
