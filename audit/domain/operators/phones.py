"""Phone numbers of operators' venues: E.164 for dialable numbers, short codes kept apart.

Choice (documented in docs/regions-data.md § Phone numbers): national short service codes such
as 10086 (China Mobile), 10000 (China Telecom), 10010 (China Unicom), 10099 (China Broadnet) or
95xxx are *not* E.164 numbers. "+8610086" is not a number anyone can dial, so we never produce
it. `to_e164` rejects them with a message pointing to `normalise_service_number`, which returns
a `ServiceNumber` of kind "short_code" (digits, plus the region in which they are dialled).
Numbers with an extension are rejected rather than silently losing the extension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, shortnumberinfo

# Digits (incl. full-width), spaces, + and the usual separators; anything else (letters, '#', '*')
# is an error rather than a vanity-number conversion.
_ALLOWED = re.compile(r"^[+\d\s\-().\u3000/]+$")
_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "unknown or missing country code",
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}

NumberKind = Literal["e164", "short_code"]


@dataclass(frozen=True, slots=True)
class ServiceNumber:
    """A venue's number: `value` is E.164 ("+8610…") or, for kind "short_code", bare digits."""

    kind: NumberKind
    value: str
    region: str  # ISO 3166 region the number belongs to / short code is dialled in


def _check_region(default_region: str) -> str:
    region = default_region.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"phone number: unknown default region {default_region!r}")
    return region


def _parse(number: str, region: str) -> phonenumbers.PhoneNumber:
    if not isinstance(number, str):
        raise ValueError(f"phone number: expected text, got {type(number).__name__}")
    text = number.strip()
    if not text:
        raise ValueError("phone number: empty")
    if not _ALLOWED.match(text):
        raise ValueError(
            f"phone number {number!r}: only digits, spaces, '+', '-', '(', ')' are allowed"
        )
    try:
        parsed = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        reason = _PARSE_ERRORS.get(exc.error_type, str(exc))
        raise ValueError(f"phone number {number!r}: {reason}") from exc
    if parsed.extension:
        raise ValueError(f"phone number {number!r}: extensions cannot be stored as E.164")
    return parsed


def _is_short_code(number: str, parsed: phonenumbers.PhoneNumber, region: str) -> bool:
    # Short codes only exist inside a country: accept them written nationally (no '+', no 00).
    digits = re.sub(r"\D", "", number)
    written_nationally = not number.strip().startswith("+") and not digits.startswith("00")
    return (
        written_nationally
        and parsed.country_code == phonenumbers.country_code_for_region(region)
        and shortnumberinfo.is_valid_short_number_for_region(parsed, region)
    )


def _invalid(number: str, parsed: phonenumbers.PhoneNumber, region: str) -> ValueError:
    if shortnumberinfo.is_valid_short_number(parsed):
        return ValueError(
            f"phone number {number!r}: a short service code has no international form; "
            "write it without the country code (e.g. 10086) and use normalise_service_number()"
        )
    hint = ""
    if parsed.country_code == 86 and not phonenumbers.is_possible_number(parsed):
        hint = " (landlines need the area code, e.g. 010-12345678; mobiles have 11 digits)"
    return ValueError(f"phone number {number!r}: not a valid number for region {region}{hint}")


def to_e164(number: str, default_region: str = "CN") -> str:
    """E.164 form of a dialable number: '010-6278 1234' → '+861062781234', '400-810-0000' →
    '+864008100000'. Raises ValueError naming the problem (short service codes included)."""
    region = _check_region(default_region)
    parsed = _parse(number, region)
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    if _is_short_code(number, parsed, region):
        raise ValueError(
            f"phone number {number!r}: a short service code ({region}) has no E.164 form; "
            "use normalise_service_number()"
        )
    raise _invalid(number, parsed, region)


def normalise_service_number(number: str, default_region: str = "CN") -> ServiceNumber:
    """Dialable numbers → kind "e164"; national short service codes (10086, 10000, 10010,
    95xxx, 12xxx) → kind "short_code" with their bare digits. Anything else: ValueError."""
    region = _check_region(default_region)
    parsed = _parse(number, region)
    if phonenumbers.is_valid_number(parsed):
        return ServiceNumber(
            kind="e164",
            value=phonenumbers.format_number(parsed, PhoneNumberFormat.E164),
            region=phonenumbers.region_code_for_number(parsed) or region,
        )
    if _is_short_code(number, parsed, region):
        return ServiceNumber(
            kind="short_code", value=phonenumbers.national_significant_number(parsed), region=region
        )
    raise _invalid(number, parsed, region)
