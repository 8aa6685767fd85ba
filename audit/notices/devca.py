"""Development CA and signing certificate, generated on first run (embedded default).

The regulator's real key comes from a PKCS#12 file named by settings. Without one, we make a
throw-away CA and a signing certificate under ``var/`` so the whole flow works; its subject
carries TEST_MARK, and every signature made with it is stamped "TEST — not valid for
enforcement" (sign.py looks for the mark, so a copied dev key can never pass as real).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

TEST_MARK = "TEST — not valid for enforcement"
ROOT_FILE = "dev-root.pem"
P12_FILE = "dev-signer.p12"
PASS_FILE = "dev-signer.pass"


def is_test_certificate(cert: Any) -> bool:
    """An asn1crypto certificate whose subject carries TEST_MARK as organisational unit."""
    ou = cert.subject.native.get("organizational_unit_name")
    return TEST_MARK in (ou if isinstance(ou, list) else [ou])


@dataclass(frozen=True)
class DevCredentials:
    p12_path: Path
    passphrase: bytes
    root_cert_path: Path


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Service Quality Audit (development)"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, TEST_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _generate(directory: Path) -> None:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("Dev Notice Root CA")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("Dev Notice Signer"))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # pyHanko refuses a signer without non-repudiation (content_commitment)
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    passphrase = secrets.token_urlsafe(24).encode()
    p12 = pkcs12.serialize_key_and_certificates(
        b"dev-notice-signer",
        key,
        leaf,
        [root],
        serialization.BestAvailableEncryption(passphrase),
    )
    # the root key is not kept: the dev CA signs exactly one certificate
    _write(directory / ROOT_FILE, root.public_bytes(serialization.Encoding.PEM))
    _write(directory / PASS_FILE, passphrase, 0o600)
    _write(directory / P12_FILE, p12, 0o600)


def ensure_dev_credentials(directory: Path | str) -> DevCredentials:
    """Return the dev signing credentials in ``directory``, creating them on first use."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True, mode=0o700)  # owner only: it holds the private key
    paths = [d / ROOT_FILE, d / PASS_FILE, d / P12_FILE]
    if not all(p.is_file() for p in paths):
        with open(d / ".devca.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # two processes starting at once make one CA
            if not all(p.is_file() for p in paths):
                _generate(d)
    return DevCredentials(
        p12_path=d / P12_FILE,
        passphrase=(d / PASS_FILE).read_bytes().strip(),
        root_cert_path=d / ROOT_FILE,
    )
