"""uscc_check_char(): the GB 32100-2015 weights and formula, checked independently."""

import pytest

from audit.domain.operators.uscc import CHARSET, WEIGHTS, uscc_check_char


def test_weights_are_the_standards_table() -> None:
    # GB 32100-2015 table of weighting factors (3^(i-1) mod 31), written out literally.
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_charset_excludes_i_o_s_v_z() -> None:
    assert len(CHARSET) == 31
    assert not set("IOSVZ") & set(CHARSET)


def test_worked_example_by_hand() -> None:
    # 91110000710939135: sum of value*weight
    body = "91110000710939135"
    values = [9, 1, 1, 1, 0, 0, 0, 0, 7, 1, 0, 9, 3, 9, 1, 3, 5]
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(v * w for v, w in zip(values, weights, strict=True))
    assert total == 814
    assert 31 - total % 31 == 23  # value 23 is 'P' (0-9, then A..H=10..17, J..N=18..22, P=23)
    assert uscc_check_char(body) == "P"


def test_remainder_zero_gives_check_character_zero() -> None:
    # Find a body whose weighted sum is a multiple of 31: its check character must be '0'.
    for last in CHARSET:
        body = "9111000071093913" + last
        total = sum(CHARSET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
        if total % 31 == 0:
            assert uscc_check_char(body) == "0"
            return
    pytest.fail("no body with remainder 0 in this family")  # pragma: no cover


@pytest.mark.parametrize(("body", "message"), [("9111", "got 4"), ("9111000071093913I", "'I'")])
def test_bad_bodies(body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        uscc_check_char(body)
