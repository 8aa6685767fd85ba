"""Issue taxonomy and keyword classifier: data files, aliases in both languages, fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.domain.complaints.taxonomy import (
    DataFileError,
    default_classifier,
    default_taxonomy,
    load_classifier,
    load_taxonomy,
)


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("billing", "billing"),
        ("  Billing and TARIFF disputes ", "billing"),
        ("计费及资费争议", "billing"),
        ("乱收费", "billing"),
        ("网络质量", "network"),
        ("Network quality", "network"),
        ("服务态度", "attitude"),
        ("热线", "hotline"),
        ("合同与营销", "marketing"),
        ("个人信息", "privacy"),
        ("携号转网", "portability"),
        ("其他", "other"),
    ],
)
def test_codes_labels_and_aliases_resolve(given: str, code: str) -> None:
    assert default_taxonomy().resolve(given) == code


def test_unknown_issue_is_none() -> None:
    assert default_taxonomy().resolve("weather") is None


def test_every_category_has_both_labels() -> None:
    cats = default_taxonomy().categories.values()
    assert len(cats) == 8
    assert all(c.zh and c.en for c in cats)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("信号太差,经常掉线", "network"),
        ("乱扣费,话费账单不对", "billing"),
        ("客服热线一直打不通", "hotline"),
        ("营业员态度恶劣", "attitude"),
        ("泄露我的个人信息", "privacy"),
        ("携号转网被拒绝", "portability"),
        ("未经同意开通业务,虚假宣传", "marketing"),
        ("Comcast Cable Internet Speeds", "network"),
        ("Comcast data cap overage charges", "billing"),
        ("Comcast bait and switch", "marketing"),
        ("Horrible Customer Service, rude agent", "attitude"),
    ],
)
def test_classifier_assigns_category_and_records_keywords(text: str, code: str) -> None:
    c = default_classifier().classify(text)
    assert c.category == code
    assert c.matched and not c.fallback


def test_classifier_falls_back_and_says_so() -> None:
    c = default_classifier().classify("Comcast is awful")
    assert (c.category, c.matched, c.fallback) == ("other", (), True)


def test_ascii_keywords_match_word_starts_only() -> None:
    # "cap" (billing) must not fire inside "escape"; "speed" does match "speeds".
    assert default_classifier().classify("escape key").category == "other"
    assert default_classifier().classify("speeds").category == "network"


def test_bad_data_files_name_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "t.yaml"
    bad.write_text("version: 1\ncategories:\n  - code: Bad Code\n    zh: x\n    en: y\n")
    with pytest.raises(DataFileError, match=r"t\.yaml: categories\.0\.code"):
        load_taxonomy(bad)
    dup = tmp_path / "d.yaml"
    dup.write_text(
        "version: 1\ncategories:\n  - {code: a, zh: 甲, en: A, aliases: [x]}\n"
        "  - {code: b, zh: 乙, en: B, aliases: [X]}\n"
    )
    with pytest.raises(DataFileError, match="points to both 'a' and 'b'"):
        load_taxonomy(dup)
    rules = tmp_path / "r.yaml"
    rules.write_text("version: 1\nfallback: other\nrules:\n  - {category: nope, keywords: [x]}\n")
    with pytest.raises(DataFileError, match="rule category 'nope' is not in taxonomy"):
        load_classifier(rules)
