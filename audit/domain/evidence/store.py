"""Content-addressed file store: ``ROOT/ab/cd/abcd…`` named by the SHA-256 of the bytes.

A stored file is never overwritten (same bytes ⇒ same name), so evidence cannot be replaced
through the store; verification re-hashes the file and compares it with its name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_path(root: Path, sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return root / sha256[:2] / sha256[2:4] / sha256


def put(root: Path, data: bytes) -> tuple[str, bool]:
    """Store ``data``; returns (sha256, created).

    An intact existing file is left untouched. An existing file whose bytes no longer match its
    name (tampered) is moved aside as ``<sha>.tampered-<ns>`` for investigation and the genuine
    bytes — which hash to the name — are written back.
    """
    digest = sha256_bytes(data)
    path = blob_path(root, digest)
    if path.exists():
        if file_sha256(path) == digest:
            return digest, False
        path.rename(path.with_name(f"{digest}.tampered-{time.time_ns()}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest, True


def remove(root: Path, sha256: str) -> None:
    blob_path(root, sha256).unlink(missing_ok=True)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
