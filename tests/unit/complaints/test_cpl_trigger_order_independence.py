"""Random data: the engine equals a literal reading of the rule and ignores arrival order."""

from __future__ import annotations

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from audit.domain.complaints.trigger import Point, TriggerRule, evaluate_key


def literal(points: list[Point], rule: TriggerRule) -> list[tuple[date, list[str], list[str]]]:
    """The rule as the issue words it, with no shortcuts (lists, relativedelta per step)."""
    month = relativedelta(months=rule.window_months)
    triggers: list[tuple[date, list[str], list[str]]] = []
    pool: list[Point] = []
    for p in sorted(points, key=lambda q: (q.received_on, q.external_id)):
        d = p.received_on
        if triggers and triggers[-1][0] <= d <= triggers[-1][0] + month:
            triggers[-1][2].append(p.external_id)
            continue
        pool = [q for q in pool if not q.received_on < d - month]
        pool.append(p)
        if len(pool) >= rule.threshold:
            triggers.append((d, [q.external_id for q in pool], []))
            pool = []
    return triggers


def test_matches_literal_rule_and_any_order() -> None:
    rnd = random.Random(2026)
    start = date(2027, 12, 1)  # spans the 2028 leap February
    for trial in range(300):
        n = rnd.randint(0, 25)
        spread = rnd.choice([20, 60, 120, 400])
        points = [
            Point(start + timedelta(days=rnd.randrange(spread)), f"C{rnd.randrange(10_000):05d}")
            for _ in range(n)
        ]
        points = list({p.external_id: p for p in points}.values())
        rule = TriggerRule(threshold=rnd.choice([2, 3, 3, 4]), window_months=rnd.choice([1, 1, 2]))
        want = literal(points, rule)
        for _ in range(3):
            rnd.shuffle(points)
            got = [
                (f.fired_on, [q.external_id for q in f.members], [q.external_id for q in f.joined])
                for f in evaluate_key(points, rule)
            ]
            assert got == want, (trial, rule)
