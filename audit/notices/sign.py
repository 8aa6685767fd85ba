"""PAdES signing of rendered notices with pyHanko, with the key kept in memory.

B-B by default; B-T (an RFC 3161 signature timestamp) when a TSA URL is configured.
``SimpleSigner`` re-parses the private key on every signature (~34 ms, twice); we parse it
once when loading (engineering notes: ~94 ms → ~26 ms per document).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import ShapeResult
from pyhanko.pdf_utils.font.basic import SimpleFontEngine, SimpleFontEngineFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.attributes import CMSAttributeProvider, SigningCertificateV2Provider
from pyhanko.sign.general import (
    SigningError,
    as_signing_certificate_v2,
    get_pyca_cryptography_hash,
)
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.stamp import TextStampStyle

from audit.notices.devca import TEST_MARK, is_test_certificate

FIELD_NAME = "NoticeSignature"


class SigningKeyError(RuntimeError):
    """The signing key or certificate can't be used; raised before anything is written."""


class _CachedSigningCertificateV2(CMSAttributeProvider):
    attribute_type = "signing_certificate_v2"

    def __init__(self, der: bytes) -> None:
        self.der = der

    async def build_attr_value(self, dry_run: bool = False) -> tsp.SigningCertificateV2:
        return tsp.SigningCertificateV2.load(self.der)


class CachedKeySigner(signers.SimpleSigner):
    """SimpleSigner that keeps the parsed private key instead of re-parsing it per call."""

    def __init__(self, base: signers.SimpleSigner) -> None:
        super().__init__(
            signing_cert=base.signing_cert,
            signing_key=base.signing_key,
            cert_registry=base.cert_registry,
            signature_mechanism=base.signature_mechanism,
        )
        self._key = serialization.load_der_private_key(base.signing_key.dump(), password=None)
        self._sc_v2_der = (
            as_signing_certificate_v2(base.signing_cert).dump() if base.signing_cert else b""
        )

    def _signed_attr_providers(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        # signing-certificate-v2 is the same for every signature with this certificate, but
        # pyHanko rebuilds it from native values each time (asn1crypto deep copies: ~2/3 of
        # the signing time). Build it once; a freshly loaded DER value embeds without copying.
        for prov in super()._signed_attr_providers(*args, **kwargs):
            if isinstance(prov, SigningCertificateV2Provider) and prov.signing_cert is (
                self.signing_cert
            ):
                yield _CachedSigningCertificateV2(self._sc_v2_der)
            else:
                yield prov

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mech = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if mech == "rsassa_pkcs1v15" and isinstance(self._key, RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), hash_algo)
        if mech == "ecdsa" and isinstance(self._key, EllipticCurvePrivateKey):
            return self._key.sign(data, ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)  # PSS, EdDSA…: rare, uncached


_loops = threading.local()


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run pyHanko's coroutine on this thread's own long-lived loop.

    ``PdfSigner.sign_pdf`` calls ``asyncio.run`` — a new event loop per document (~1 ms).
    Call ``sign`` from worker threads (``asyncio.to_thread``), never from a running loop.
    """
    loop = getattr(_loops, "loop", None)
    if loop is None:
        loop = _loops.loop = asyncio.new_event_loop()
    return loop.run_until_complete(coro)


def _subject_attr(cert: asn1_x509.Certificate, attr: str) -> str:
    return str(cert.subject.native.get(attr, "") or "")


class _WinAnsiCourier(SimpleFontEngine):
    """pyHanko's Courier engine writes text in PDFDocEncoding while the font declares
    WinAnsiEncoding, so "—" showed as "„". Encode as WinAnsi (cp1252) to match."""

    def shape(self, txt: str) -> ShapeResult:
        ops = io.BytesIO()
        generic.ByteStringObject(txt.encode("cp1252", errors="replace")).write_to_stream(ops)
        ops.write(b" Tj")
        return ShapeResult(
            graphics_ops=ops.getvalue(), x_advance=len(txt) * self.avg_width, y_advance=0
        )


class _WinAnsiCourierFactory(SimpleFontEngineFactory):
    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream: Any = None
    ) -> SimpleFontEngine:
        return _WinAnsiCourier(writer, self.name, self.avg_width, self.meta)


_STAMP_FONT = _WinAnsiCourierFactory("Courier", 0.6, SimpleFontEngineFactory.default_factory().meta)


@dataclass
class NoticeSigner:
    """A loaded signing identity. Build once (``load_signer``) and reuse for every notice."""

    signer: CachedKeySigner
    signer_name: str
    is_test: bool
    timestamper: TimeStamper | None = None

    @property
    def bytes_reserved(self) -> int:
        # hex digits: 8 KiB of CMS (two RSA certs ≈ 2.5 KiB), +12 KiB for a timestamp token
        return 16384 + (24576 if self.timestamper is not None else 0)

    @property
    def level(self) -> str:
        return "B-T" if self.timestamper is not None else "B-B"

    def stamp_style(self) -> TextStampStyle:
        # %(time)s, not pyHanko's %(ts)s: that one is the server's local zone (see ``sign``)
        lines = ["Digitally signed by: %(signer)s", "Time: %(time)s", f"PAdES {self.level}"]
        if self.is_test:
            lines.append(TEST_MARK)
        return TextStampStyle(
            stamp_text="\n".join(lines),
            text_box_style=TextBoxStyle(font=_STAMP_FONT),
            border_width=1,
        )

    def sign(
        self,
        pdf: bytes,
        sig_page: int,
        sig_box: tuple[float, float, float, float],
        *,
        reason: str = "Issued notice",
        location: str = "",
        zone: dt.tzinfo | None = None,
    ) -> bytes:
        """Sign ``pdf`` with a visible signature in ``sig_box`` on page ``sig_page`` (0-based).

        The stamp shows the signing time in ``zone`` (the regulator's; UTC when not given),
        like every other date on the document.
        """
        box = tuple(round(v) for v in sig_box)
        shown = {"time": stamp_time(dt.datetime.now(zone or dt.UTC))}
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            name=self.signer_name,
            reason=reason,
            location=location or None,
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=self.signer,
            timestamper=self.timestamper,
            stamp_style=self.stamp_style(),
            new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=sig_page, box=box),  # type: ignore[arg-type]
        )
        out = io.BytesIO()
        try:
            # a fixed reservation skips pyHanko's dry-run signature (half the signing time)
            _run(
                pdf_signer.async_sign_pdf(
                    IncrementalPdfFileWriter(io.BytesIO(pdf)),
                    output=out,
                    bytes_reserved=self.bytes_reserved,
                    appearance_text_params=shown,
                )
            )
        except SigningError as exc:
            if "larger than expected" not in str(exc):
                raise
            out = io.BytesIO()  # the container did not fit (a large chain): let pyHanko size it
            _run(
                pdf_signer.async_sign_pdf(
                    IncrementalPdfFileWriter(io.BytesIO(pdf)),
                    output=out,
                    appearance_text_params=shown,
                )
            )
        return out.getvalue()


def stamp_time(when: dt.datetime) -> str:
    """``2026-12-03 02:20:00 UTC+08:00``: ASCII (the stamp font is WinAnsi Courier)."""
    offset = when.strftime("%z")  # +0800
    return f"{when:%Y-%m-%d %H:%M:%S} UTC{offset[:3]}:{offset[3:]}"


def load_signer(
    p12_path: Path | str, passphrase: bytes | str | None, *, tsa_url: str | None = None
) -> NoticeSigner:
    """Load key + certificate from PKCS#12; raise SigningKeyError with a clear reason.

    The passphrase is never put into an error message or a log.
    """
    path = Path(p12_path)
    if not path.is_file():
        raise SigningKeyError(f"signing key: PKCS#12 file not found: {path}")
    pw = passphrase.encode() if isinstance(passphrase, str) else passphrase
    try:
        base = signers.SimpleSigner.load_pkcs12_data(path.read_bytes(), (), passphrase=pw)
    except ValueError as exc:
        raise SigningKeyError(
            f"signing key: cannot open {path} (wrong passphrase or not a PKCS#12 file "
            "with a private key and certificate)"
        ) from exc
    cert = base.signing_cert
    if cert is None:
        raise SigningKeyError(f"signing key: {path} holds no certificate")
    ku = cert.key_usage_value
    if ku is None or "non_repudiation" not in ku.native:
        raise SigningKeyError(
            f"signing key: certificate in {path} lacks KeyUsage content_commitment "
            "(non-repudiation), which document signatures need"
        )
    try:
        cached = CachedKeySigner(base)
    except (ValueError, TypeError) as exc:  # unsupported/corrupt key
        raise SigningKeyError(f"signing key: unusable private key in {path}") from exc
    name = _subject_attr(cert, "common_name") or cert.subject.human_friendly
    is_test = is_test_certificate(cert)
    ts = RequestsHTTPTimeStamper(tsa_url, timeout=10) if tsa_url else None
    return NoticeSigner(signer=cached, signer_name=name, is_test=is_test, timestamper=ts)


_cache: dict[tuple[str, float, str | None], NoticeSigner] = {}
_cache_lock = threading.Lock()


def cached_signer(
    p12_path: Path | str, passphrase: bytes | str | None, *, tsa_url: str | None = None
) -> NoticeSigner:
    """``load_signer`` once per (file, modification time, TSA): later calls reuse the key."""
    path = Path(p12_path)
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise SigningKeyError(f"signing key: PKCS#12 file not found: {path}") from exc
    key = (str(path.resolve()), mtime, tsa_url)
    with _cache_lock:
        found = _cache.get(key)
        if found is None:
            found = load_signer(path, passphrase, tsa_url=tsa_url)
            _cache.clear()  # one identity in use at a time; a replaced file evicts the old
            _cache[key] = found
        return found
