"""Sample size for a chosen margin of error, against hand computation.

n₀ = z²·p(1−p)/E²   (z = 1.959964, z² = 3.841459)
finite population N: n = n₀ / (1 + (n₀ − 1)/N), rounded up
"""

import pytest

from audit.domain.campaigns.stats import required_sample_size


def test_plus_minus_5_points_worst_case() -> None:
    # 3.841459 · 0.25 / 0.0025 = 384.146 ⇒ 385
    assert required_sample_size(0.05) == 385


def test_plus_minus_3_points() -> None:
    # 3.841459 · 0.25 / 0.0009 = 1067.07 ⇒ 1068
    assert required_sample_size(0.03) == 1068


def test_expected_rate_80_percent_margin_10_points() -> None:
    # 3.841459 · 0.8 · 0.2 / 0.01 = 61.463 ⇒ 62
    assert required_sample_size(0.10, expected_rate=0.8) == 62


def test_finite_population_of_1000_calls() -> None:
    # 384.146 / (1 + 383.146/1000) = 384.146 / 1.383146 = 277.73 ⇒ 278
    assert required_sample_size(0.05, population=1000) == 278


def test_99_percent_confidence() -> None:
    # z = 2.575829, z² = 6.634897; 6.634897 · 0.25 / 0.0025 = 663.49 ⇒ 664
    assert required_sample_size(0.05, confidence=0.99) == 664


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"margin": 0}, "margin"),
        ({"margin": 0.05, "expected_rate": 1.5}, "expected_rate"),
        ({"margin": 0.05, "population": 0}, "population"),
        ({"margin": 0.05, "confidence": 1}, "confidence"),
    ],
)
def test_bad_input_names_the_argument(kwargs: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        required_sample_size(**kwargs)
