"""A local RFC 3161 timestamp authority over HTTP, for tests and the demo.

It speaks the real protocol (POST application/timestamp-query → application/timestamp-reply)
so the signer's HTTP timestamp client runs unchanged; only the outside TSA is replaced.
Tokens are made by pyHanko's DummyTimeStamper with a throw-away TSA certificate.
"""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore


def _tsa_identity() -> tuple[asn1_x509.Certificate, asn1_x509.Certificate, keys.PrivateKeyInfo]:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Local Test TSA Root")])
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    # pyHanko's DummyTimeStamper signs with RSA only
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Local Test TSA")]))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    der = serialization.Encoding.DER
    key_der = key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(root.public_bytes(der)),
        asn1_x509.Certificate.load(cert.public_bytes(der)),
        keys.PrivateKeyInfo.load(key_der),
    )


class LocalTSA:
    """``with LocalTSA() as tsa: tsa.url`` — serves on 127.0.0.1, a free port."""

    def __init__(self) -> None:
        self.root, cert, key = _tsa_identity()
        self._stamper = DummyTimeStamper(
            tsa_cert=cert,
            tsa_key=key,
            certs_to_embed=SimpleCertificateStore.from_certs([self.root]),
        )
        self.requests = 0
        stamper = self._stamper
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    req = tsp.TimeStampReq.load(body)
                    resp = stamper.request_tsa_response(req).dump()
                except ValueError:
                    self.send_error(400, "not a TimeStampReq")
                    return
                except Exception:
                    self.send_error(500, "timestamping failed")
                    return
                outer.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(resp)))
                self.end_headers()
                self.wfile.write(resp)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/tsa"

    def start(self) -> LocalTSA:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalTSA:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
