"""validate_uscc(): real published codes pass; each kind of defect fails with a clear message."""

import pytest

from audit.domain.operators.uscc import is_valid_uscc, uscc_check_char, validate_uscc

# Real codes, each seen in several independent public sources (invoices, bid documents, tests):
REAL = {
    "91110000710939135P": "中国联合网络通信有限公司 (China Unicom's operating company)",
    "91310115671143758E": "中国电信股份有限公司上海分公司 (China Telecom, Shanghai branch)",
    "914403001922038216": "华为技术有限公司 (Huawei Technologies)",
    "91110000600037341L": "example in python-stdnum's documentation",
    "91310115591693856A": "example in Hutool's CreditCodeUtil tests",
    "91310110666007217T": "example in Hutool's CreditCodeUtil tests",
}


@pytest.mark.parametrize("code", sorted(REAL))
def test_real_codes_are_valid(code: str) -> None:
    assert validate_uscc(code) == code
    assert uscc_check_char(code[:17]) == code[17]


def test_normalises_case_spaces_hyphens_and_full_width() -> None:
    assert validate_uscc(" 91110000710939135p ") == "91110000710939135P"
    assert validate_uscc("9111-0000-7109 3913 5P") == "91110000710939135P"
    assert validate_uscc("９１１１００００７１０９３９１３５Ｐ") == "91110000710939135P"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "must be 18 characters, got 0"),
        ("9111000071093913", "must be 18 characters, got 16"),
        ("91110000710939135PX", "must be 18 characters, got 19"),
        ("91110000710939I35P", r"bad character 'I' at position 15 \(I, O, S, V, Z"),
        ("91110000710939135O", "bad character 'O' at position 18"),
        ("9111000071093913?P", r"bad character '\?' at position 17"),
        ("9111A000710939135P", "position 5 must be a digit"),
        ("91110000710939135Q", "checksum mismatch, last character is 'Q', expected 'P'"),
        ("914403001922038217", "checksum mismatch, last character is '7', expected '6'"),
        # Issued by an early pilot region before GB 32100-2015; does not satisfy the standard.
        ("91350211M00013FA1N", "expected '3'"),
    ],
)
def test_invalid_codes(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_uscc(code)
    assert not is_valid_uscc(code)


def test_single_character_changes_are_caught() -> None:
    # Mod-31 weighted sum: any one-character substitution changes the check character.
    code = "91110000710939135P"
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for pos in range(17):
        for ch in charset:
            if ch == code[pos] or (2 <= pos <= 7 and not ch.isdigit()):
                continue
            mutated = code[:pos] + ch + code[pos + 1 :]
            assert not is_valid_uscc(mutated), mutated


def test_non_text_is_rejected() -> None:
    with pytest.raises(ValueError, match="expected text"):
        validate_uscc(91110000710939135)  # type: ignore[arg-type]
