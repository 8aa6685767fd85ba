"""to_e164(): Chinese number formats to E.164, clear errors for everything else."""

import pytest

from audit.domain.operators.phones import to_e164


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("010-12345678", "+861012345678"),
        ("(010) 6278 1234", "+861062781234"),
        ("0755-82795331", "+8675582795331"),
        ("0571 8765 4321", "+8657187654321"),
        ("13800138000", "+8613800138000"),
        ("138-0013-8000", "+8613800138000"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("0086 13800138000", "+8613800138000"),
        ("１３８００１３８０００", "+8613800138000"),
        ("400-810-0000", "+864008100000"),
        ("4008888888", "+864008888888"),
        ("800-820-8820", "+868008208820"),
        ("+1 650 253 0000", "+16502530000"),
        ("+852 2123 4567", "+85221234567"),
    ],
)
def test_valid_numbers(raw: str, e164: str) -> None:
    assert to_e164(raw) == e164


def test_default_region_applies_to_national_numbers() -> None:
    assert to_e164("(650) 253-0000", default_region="US") == "+16502530000"
    assert to_e164("2123 4567", default_region="hk") == "+85221234567"


@pytest.mark.parametrize("raw", ["10086", "10000", "10010", "95588", "1 0 0 8 6"])
def test_short_service_codes_have_no_e164_form(raw: str) -> None:
    with pytest.raises(ValueError, match=r"short service code .*normalise_service_number"):
        to_e164(raw)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("+86 10086", "short service code has no international form"),
        ("0086 10086", "short service code has no international form"),
        ("12345678901", "not a valid number for region CN"),
        ("138001380001", "not a valid number"),
        ("hotline", "only digits"),
        ("1-800-FLOWERS", "only digits"),
        ("010-12345678#12", "only digits"),
        ("010-12345678 ext. 12", "only digits"),
        ("+999 1234", "not a valid number|unknown or missing country code"),
        ("+", "not a phone number"),
    ],
)
def test_invalid_numbers(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_e164(raw)


def test_unknown_default_region() -> None:
    with pytest.raises(ValueError, match="unknown default region 'XX'"):
        to_e164("13800138000", default_region="XX")


def test_non_text() -> None:
    with pytest.raises(ValueError, match="expected text"):
        to_e164(13800138000)  # type: ignore[arg-type]
