"""Where the signing identity, trust roots and stored PDFs come from (settings + env).

Settings used: ``AUDIT_SIGNING_P12_PATH`` / ``AUDIT_SIGNING_P12_PASSPHRASE`` (the regulator's
PKCS#12), ``AUDIT_TSA_URL`` (B-T), ``AUDIT_VAR_DIR``, ``AUDIT_PUBLIC_BASE_URL``,
``AUDIT_AUTHORITY_NAME``; and, read here until the lead folds them into Settings,
``AUDIT_SIGNING_TRUST_ROOTS`` (PEM files, separated by ``os.pathsep``; default: the self-signed
certificates inside the PKCS#12, or the dev root for the dev key).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import pkcs12

from audit.notices import devca, sign, verify
from audit.settings import Settings, get_settings


def notices_dir(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).var_dir / "notices"


def dev_dir(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).var_dir / "signing"


def _p12_and_passphrase(settings: Settings) -> tuple[Path, bytes | None]:
    if settings.signing_p12_path is not None:
        secret = settings.signing_p12_passphrase
        return settings.signing_p12_path, (
            secret.get_secret_value().encode() if secret is not None else None
        )
    creds = devca.ensure_dev_credentials(dev_dir(settings))  # embedded default: a TEST key
    return creds.p12_path, creds.passphrase


def get_signer(settings: Settings | None = None) -> sign.NoticeSigner:
    """The cached signing identity; SigningKeyError (naming the file) if it can't be loaded."""
    settings = settings or get_settings()
    path, passphrase = _p12_and_passphrase(settings)
    return sign.cached_signer(path, passphrase, tsa_url=settings.tsa_url)


def trust_roots(settings: Settings | None = None) -> list[asn1_x509.Certificate]:
    settings = settings or get_settings()
    configured = os.environ.get("AUDIT_SIGNING_TRUST_ROOTS", "").strip()
    if configured:
        return verify.load_trust_roots(p for p in configured.split(os.pathsep) if p)
    if settings.signing_p12_path is None:
        return verify.load_trust_roots(
            [devca.ensure_dev_credentials(dev_dir(settings)).root_cert_path]
        )
    path, passphrase = _p12_and_passphrase(settings)
    try:
        _, cert, extra = pkcs12.load_key_and_certificates(path.read_bytes(), passphrase)
    except (OSError, ValueError) as exc:
        raise sign.SigningKeyError(f"signing key: cannot open {path}") from exc
    from cryptography.hazmat.primitives.serialization import Encoding

    roots: list[Any] = [
        asn1_x509.Certificate.load(c.public_bytes(Encoding.DER))
        for c in [*(extra or []), *([cert] if cert else [])]
        if c.issuer == c.subject
    ]
    return roots
