"""normalise_service_number(): short codes stay bare digits, other numbers become E.164."""

import pytest

from audit.domain.operators.phones import ServiceNumber, normalise_service_number


@pytest.mark.parametrize("code", ["10086", "10000", "10010", "10099", "95588", "12315"])
def test_short_codes_are_kept_as_digits(code: str) -> None:
    assert normalise_service_number(code) == ServiceNumber("short_code", code, "CN")


def test_spaced_short_code() -> None:
    assert normalise_service_number(" 1 0 0 8 6 ").value == "10086"


def test_dialable_numbers_become_e164() -> None:
    assert normalise_service_number("400-810-0000") == ServiceNumber("e164", "+864008100000", "CN")
    assert normalise_service_number("+852 2123 4567") == ServiceNumber("e164", "+85221234567", "HK")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("+86 10086", "no international form"),
        ("12345678901", "not a valid number"),
        ("1008611", "not a valid number"),
        ("abc", "only digits"),
        ("", "empty"),
    ],
)
def test_rejects(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_service_number(raw)
