"""A key that can't be loaded fails clearly before anything is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from audit.notices import devca, sign


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(sign.SigningKeyError, match="not found"):
        sign.load_signer(tmp_path / "nope.p12", b"x")
    with pytest.raises(sign.SigningKeyError, match="not found"):
        sign.cached_signer(tmp_path / "nope.p12", b"x")


def test_wrong_passphrase_names_file_not_secret(dev_creds: devca.DevCredentials) -> None:
    with pytest.raises(sign.SigningKeyError) as err:
        sign.load_signer(dev_creds.p12_path, b"wrong-passphrase-1234")
    assert str(dev_creds.p12_path) in str(err.value)
    assert "wrong-passphrase-1234" not in str(err.value)
    assert dev_creds.passphrase.decode() not in str(err.value)


def test_not_a_pkcs12(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.p12"
    bogus.write_bytes(b"this is not PKCS#12")
    with pytest.raises(sign.SigningKeyError, match="cannot open"):
        sign.load_signer(bogus, b"")


def test_certificate_without_content_commitment(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "no-nr")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    p12 = tmp_path / "no-nr.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"x", key, cert, None, serialization.BestAvailableEncryption(b"pw")
        )
    )
    with pytest.raises(sign.SigningKeyError, match="content_commitment"):
        sign.load_signer(p12, "pw")


def test_dev_certificate_is_marked_test(dev_creds: devca.DevCredentials) -> None:
    s = sign.load_signer(dev_creds.p12_path, dev_creds.passphrase)
    assert s.is_test
    assert "TEST — not valid for enforcement" in s.stamp_style().stamp_text
    assert s.level == "B-B"


def test_cached_signer_reuses_identity(dev_creds: devca.DevCredentials) -> None:
    a = sign.cached_signer(dev_creds.p12_path, dev_creds.passphrase)
    b = sign.cached_signer(dev_creds.p12_path, dev_creds.passphrase)
    assert a is b


def test_dev_ca_is_created_once(tmp_path: Path) -> None:
    first = devca.ensure_dev_credentials(tmp_path / "var")
    before = first.p12_path.read_bytes()
    second = devca.ensure_dev_credentials(tmp_path / "var")
    assert second.p12_path.read_bytes() == before
    assert oct(first.p12_path.stat().st_mode & 0o777) == "0o600"
