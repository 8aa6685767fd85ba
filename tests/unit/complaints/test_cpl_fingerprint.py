"""Fingerprints of cross-source duplicates: summaries normalised, contacts in one notation."""

from __future__ import annotations

import pytest

from audit.domain.complaints.fingerprint import (
    BadContact,
    Deduper,
    contact_hash,
    normalise_contact,
    normalise_summary,
    summary_hash,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("「熱線」 無法接通！", "热线无法接通"),
        ("Billing  ERROR, again.", "billing error again"),
        ("ＡＢＣ１２３", "abc123"),  # full-width forms (NFKC)
    ],
)
def test_same_summary_after_normalisation(a: str, b: str) -> None:
    assert summary_hash(a) == summary_hash(b) != ""


def test_empty_summary_has_no_fingerprint() -> None:
    assert normalise_summary(" 。！ ") == "" and summary_hash("…") == ""
    assert summary_hash("热线") != summary_hash("热线无法接通")


@pytest.mark.parametrize(
    ("given", "e164"),
    [
        ("138-0013-8000", "+8613800138000"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("(010) 6512 3456", "+861065123456"),
        (" Li@Example.COM ", "li@example.com"),
        ("", ""),
    ],
)
def test_contacts_in_one_notation(given: str, e164: str) -> None:
    assert normalise_contact(given) == e164


@pytest.mark.parametrize("bad", ["138****8000", "12", "someone@", "王先生"])
def test_contacts_that_cannot_be_compared_are_refused(bad: str) -> None:
    with pytest.raises(BadContact):
        normalise_contact(bad)


def test_contact_hash_is_keyed() -> None:
    assert contact_hash("+8613800138000", b"k1") != contact_hash("+8613800138000", b"k2")
    assert contact_hash("", b"k1") == ""


def test_deduper_points_at_the_first_counted_complaint_and_never_chains() -> None:
    d = Deduper()
    assert d.check(1, 7, "d", "s1", "p1") is None
    assert d.check(2, 7, "d", "s2", "p1") == 1  # same contact
    assert d.check(3, 7, "d", "s2", "p3") is None  # 2 is a duplicate: not a first complaint
    assert d.check(4, 7, "d", "s2", "p1") == 1  # both match: the lowest id
    assert d.check(5, 7, "other day", "s1", "") is None
    assert d.check(6, 8, "d", "s1", "") is None  # another key
