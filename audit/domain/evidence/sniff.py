"""What an uploaded file really is, from its first bytes (the file name is not trusted)."""

from __future__ import annotations

from typing import Literal

EvidenceKind = Literal["photo", "recording", "screenshot", "note"]
EVIDENCE_KINDS: tuple[EvidenceKind, ...] = ("photo", "recording", "screenshot", "note")

ALLOWED: dict[str, frozenset[str]] = {
    "photo": frozenset({"image/jpeg", "image/png", "image/webp"}),
    "screenshot": frozenset({"image/png", "image/jpeg", "image/webp"}),
    "recording": frozenset(
        {"audio/wav", "audio/mpeg", "audio/ogg", "audio/flac", "audio/mp4", "audio/amr"}
    ),
    "note": frozenset({"text/plain", "application/pdf"}),
}
# What stored evidence can be served as (every file passed check_upload).
STORED_MEDIA_TYPES: tuple[str, ...] = tuple(sorted(frozenset().union(*ALLOWED.values())))


class EvidenceRejected(ValueError):
    """The upload is not acceptable evidence of the declared kind."""


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch in "\t\r\n" or ord(ch) >= 32 for ch in text)


def sniff(data: bytes) -> str | None:
    """The media type of ``data`` by its magic bytes, or None when not recognised."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"#!AMR"):  # AMR-NB/WB, what many phone recorders write
        return "audio/amr"
    if head[4:8] == b"ftyp" and head[8:11] in (b"M4A", b"mp4", b"iso", b"3gp", b"MSN", b"M4B"):
        return "audio/mp4"  # MP4/M4A (AAC) and 3GP recordings of phone apps
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if head.startswith((b"MZ", b"\x7fELF")):
        return "application/x-executable"
    if head.startswith(b"GIF8"):
        return "image/gif"
    if data and _is_text(data[:65536]):
        return "text/plain"
    return None


def check_upload(data: bytes, kind: str, max_bytes: int) -> str:
    """The sniffed media type if ``data`` is acceptable as ``kind``; else EvidenceRejected."""
    if kind not in ALLOWED:
        raise EvidenceRejected(f"unknown evidence kind {kind!r} (one of {', '.join(ALLOWED)})")
    if not data:
        raise EvidenceRejected("the file is empty")
    if len(data) > max_bytes:
        raise EvidenceRejected(f"the file has {len(data)} bytes; the limit is {max_bytes}")
    media_type = sniff(data)
    if media_type is None:
        raise EvidenceRejected(f"the content is not a recognised {kind} format")
    if media_type not in ALLOWED[kind]:
        allowed = ", ".join(sorted(ALLOWED[kind]))
        raise EvidenceRejected(f"the content is {media_type}, not a {kind} ({allowed})")
    return media_type
