"""Wilson score interval against values computed by hand.

p̂ = x/n, z = 1.959964 (95%), z² = 3.841459
centre = (p̂ + z²/2n) / (1 + z²/n)
half   = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n)
"""

import pytest

from audit.domain.campaigns.stats import Rate, wilson_interval, z_for


def test_z_for_95_percent() -> None:
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)


def test_45_of_50() -> None:
    # p̂ = 0.9; z²/n = 0.0768292; denominator = 1.0768292
    # centre = (0.9 + 0.0384146) / 1.0768292 = 0.871460
    # half = 1.959964 · √(0.0018 + 0.00038415) / 1.0768292
    #      = 1.959964 · 0.0467349 / 1.0768292 = 0.0850633
    # ⇒ (0.786397, 0.956523)
    low, high = wilson_interval(45, 50)
    assert low == pytest.approx(0.786397, abs=1e-5)
    assert high == pytest.approx(0.956523, abs=1e-5)


def test_6_of_9() -> None:
    # p̂ = 0.666667; z²/n = 0.426829; denominator = 1.426829
    # centre = (0.666667 + 0.213415) / 1.426829 = 0.616811
    # half = 1.959964 · √(0.0246914 + 0.0118563) / 1.426829
    #      = 1.959964 · 0.191175 / 1.426829 = 0.262607
    # ⇒ (0.354204, 0.879418)
    low, high = wilson_interval(6, 9)
    assert low == pytest.approx(0.354204, abs=1e-5)
    assert high == pytest.approx(0.879418, abs=1e-5)


def test_none_answered_of_10() -> None:
    # x = 0: low = 0 exactly; high = z²/(n + z²) = 3.841459 / 13.841459 = 0.277533
    assert wilson_interval(0, 10) == (0.0, pytest.approx(0.277533, abs=1e-5))


def test_all_answered_of_10() -> None:
    # x = n: high = 1 exactly; low = n/(n + z²) = 10 / 13.841459 = 0.722467
    assert wilson_interval(10, 10) == (pytest.approx(0.722467, abs=1e-5), 1.0)


def test_no_observation_is_the_whole_range() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert Rate.of(0, 0).rate is None


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(11, 10)
