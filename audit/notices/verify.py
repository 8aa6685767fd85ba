"""Verify a notice PDF: pyHanko signature validation + registry lookup by SHA-256.

Pure: the registry is reached through the lookups the caller passes (the notices domain
passes database queries, tests may pass dictionaries). The answer is one of
authentic | tampered | revoked | superseded | unknown, with the notice's number, type,
addressee, issue date and fingerprint — never its content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from audit.notices.devca import is_test_certificate
from audit.notices.render import KEYWORD_PREFIX

log = logging.getLogger(__name__)
_TOKEN_RE = re.compile(re.escape(KEYWORD_PREFIX).encode() + rb"([A-Za-z0-9_\-]{4,64})")


class Status(StrEnum):
    authentic = "authentic"
    tampered = "tampered"
    revoked = "revoked"
    superseded = "superseded"
    unknown = "unknown"


@dataclass(frozen=True)
class RegistryRecord:
    """What the registry knows about an issued notice (public fields only)."""

    token: str
    notice_type: str
    number: str
    addressee: str
    issue_date: dt.date
    sha256: str
    status: str  # issued | delivered | acknowledged | superseded | revoked
    superseded_by: str | None = None  # number of the corrected notice
    test_signature: bool = False  # signed with the development (TEST) key


@dataclass(frozen=True)
class SignatureCheck:
    sha256: str
    is_pdf: bool = False
    signed: bool = False
    intact: bool = False
    trusted: bool = False  # intact, cryptographically valid, chain to a trust root
    chain_trusted: bool = False  # the certificate chains to a trust root (even if modified)
    entire_file: bool = False
    timestamped: bool = False
    token: str | None = None
    signer: str | None = None
    test_key: bool = False  # the signing certificate is the development (TEST) one
    error: str | None = None


@dataclass(frozen=True)
class Verdict:
    status: Status
    reason: str
    sha256: str
    notice: RegistryRecord | None = None
    test_signature: bool = False  # the file is signed with the development (TEST) key

    def public(self) -> dict[str, Any]:
        """JSON-able answer for the verification page and the CLI."""
        out: dict[str, Any] = {
            "status": str(self.status),
            "reason": self.reason,
            "file_sha256": self.sha256,
            "test_signature": self.test_signature,
        }
        if self.notice is not None:
            n = asdict(self.notice)
            n["issue_date"] = self.notice.issue_date.isoformat()
            n.pop("token", None)
            n.pop("test_signature", None)
            n["fingerprint"] = n.pop("sha256")
            n["registry_status"] = n.pop("status")
            out["notice"] = n
        return out


def load_trust_roots(paths: Iterable[Path | str]) -> list[asn1_x509.Certificate]:
    """Read PEM or DER certificates; a path that can't be read is an error naming it."""
    roots: list[asn1_x509.Certificate] = []
    for p in paths:
        data = Path(p).read_bytes()
        try:
            if pem.detect(data):
                roots += [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True)]
            else:
                roots.append(asn1_x509.Certificate.load(data))
        except ValueError as exc:
            raise ValueError(f"trust root {p}: not a PEM/DER certificate") from exc
    return roots


def _token_from(reader: PdfFileReader | None, data: bytes) -> str | None:
    if reader is not None:
        try:
            info = reader.trailer_view.get("/Info")
            kw = str(info.get_object().get("/Keywords", "")) if info is not None else ""
            if kw.startswith(KEYWORD_PREFIX):
                return kw[len(KEYWORD_PREFIX) :] or None
        except Exception:  # a damaged Info dictionary: fall back to the raw bytes
            pass
    found = _TOKEN_RE.findall(data)
    return found[-1].decode() if found else None


def inspect_pdf(data: bytes, trust_roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    """Everything the file itself says; never raises on bad input."""
    digest = hashlib.sha256(data).hexdigest()
    if data.lstrip()[:5] != b"%PDF-":
        return SignatureCheck(sha256=digest, error="not a PDF file")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except Exception as exc:  # pyHanko raises many kinds on garbage
        return SignatureCheck(
            sha256=digest,
            is_pdf=True,
            token=_token_from(None, data),
            error=f"unreadable PDF: {type(exc).__name__}",
        )
    token = _token_from(reader, data)
    if not sigs:
        return SignatureCheck(sha256=digest, is_pdf=True, token=token, error="no signature")
    sig = sigs[-1]
    try:
        vc = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
        st = validate_pdf_signature(sig, signer_validation_context=vc, ts_validation_context=vc)
    except Exception as exc:
        log.info("signature validation failed: %s", exc)
        return SignatureCheck(
            sha256=digest,
            is_pdf=True,
            signed=True,
            token=token,
            error=f"signature could not be validated: {type(exc).__name__}",
        )
    signer = st.signing_cert.subject.human_friendly if st.signing_cert is not None else None
    test_key = st.signing_cert is not None and is_test_certificate(st.signing_cert)
    return SignatureCheck(
        sha256=digest,
        is_pdf=True,
        signed=True,
        intact=bool(st.intact),
        trusted=bool(st.intact and st.valid and st.trusted),
        chain_trusted=st.validation_path is not None and st.trust_problem_indic is None,
        entire_file=st.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        timestamped=st.timestamp_validity is not None,
        token=token,
        signer=signer,
        test_key=test_key,
    )


def signed_with_test_key(data: bytes) -> bool:
    """Whether a PDF's last signature was made with the development key (no validation)."""
    try:
        sigs = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        return bool(sigs) and is_test_certificate(sigs[-1].signer_cert)
    except Exception:  # unreadable: not something we can call a TEST signature
        return False


def decide(
    check: SignatureCheck, by_hash: RegistryRecord | None, by_token: RegistryRecord | None
) -> Verdict:
    """Combine the file's own evidence with the registry's."""
    verdict = _decide(check, by_hash, by_token)
    return replace(verdict, test_signature=check.test_key)


def _decide(
    check: SignatureCheck, by_hash: RegistryRecord | None, by_token: RegistryRecord | None
) -> Verdict:
    h = check.sha256
    if not check.is_pdf:
        return Verdict(Status.unknown, check.error or "not a PDF file", h)
    if by_hash is not None:
        if not (check.signed and check.intact):
            return Verdict(
                Status.tampered, "registered file but its signature is broken", h, by_hash
            )
        if by_hash.status == "revoked":
            return Verdict(Status.revoked, "the notice was revoked", h, by_hash)
        if by_hash.status == "superseded":
            return Verdict(Status.superseded, "a corrected notice replaces this one", h, by_hash)
        if check.trusted and check.entire_file:
            return Verdict(Status.authentic, "signature valid and file registered", h, by_hash)
        return Verdict(
            Status.unknown,
            "registered file but the signing certificate is not trusted by the configured root",
            h,
            by_hash,
        )
    if by_token is not None:
        return Verdict(
            Status.tampered,
            "the file names a registered notice but its bytes differ from the issued file",
            h,
            by_token,
        )
    if check.signed and check.chain_trusted and not check.intact:
        return Verdict(Status.tampered, "signed with our key but modified after signing", h)
    if check.signed and check.trusted:
        return Verdict(Status.unknown, "signed with a trusted key but not in the registry", h)
    return Verdict(Status.unknown, check.error or "not a notice issued by this authority", h)


Lookup = Callable[[str], RegistryRecord | None]


def verify_pdf(
    data: bytes,
    trust_roots: list[asn1_x509.Certificate],
    by_hash: Lookup,
    by_token: Lookup,
) -> Verdict:
    """Synchronous convenience: inspect, look up, decide."""
    check = inspect_pdf(data, trust_roots)
    rec_hash = by_hash(check.sha256)
    rec_token = by_token(check.token) if check.token and rec_hash is None else None
    return decide(check, rec_hash, rec_token)
