"""Helpers of the portal tests (a unique module name: test directories each have a conftest)."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from audit.domain.delivery.signing import verify


def make_tls_files(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the receiver's) — also its own CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    import ipaddress

    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "receiver.pem", directory / "receiver.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Received:
    attempt_id: str
    delivery_id: str
    event: str
    body: dict[str, Any]
    signature_ok: bool


@dataclass
class Receiver:
    """An operator's HTTPS webhook endpoint: answers 500 while ``down``, records the rest."""

    url: str = ""
    secret: str = ""
    down: bool = False
    delay_s: float = 0.0  # answer this late (a slow or hanging endpoint)
    received: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # attempt ids answered 500
    server: Any = None

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def start_receiver(tls_dir: Path) -> Receiver:
    cert, key = make_tls_files(tls_dir)
    receiver = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            attempt = self.headers.get("X-Audit-Attempt", "")
            if receiver.delay_s:
                import time

                time.sleep(receiver.delay_s)
            if receiver.down:
                receiver.refused.append(attempt)
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"down")
                return
            ok = verify(receiver.secret, self.headers.get("X-Audit-Signature", ""), body)
            receiver.received.append(
                Received(
                    attempt,
                    self.headers.get("X-Audit-Delivery", ""),
                    self.headers.get("X-Audit-Event", ""),
                    json.loads(body),
                    ok,
                )
            )
            self.send_response(200 if ok else 401)
            self.end_headers()
            self.wfile.write(b"ok")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.server = server
    receiver.url = f"https://127.0.0.1:{server.server_address[1]}/hooks/audit"
    return receiver
