"""The visible signature stamp carries the dev-key warning with its em dash intact."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

from pyhanko.pdf_utils.reader import PdfFileReader

from audit.notices import demo, devca, sign
from audit.notices.models import NoticeType
from audit.notices.render import render_notice


def _stamp_stream(pdf: bytes) -> tuple[bytes, str]:
    reader = PdfFileReader(io.BytesIO(pdf))
    for page in range(len(reader.root["/Pages"]["/Kids"])):
        for annot in reader.root["/Pages"]["/Kids"][page].get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig" or "/AP" in annot:
                ap = annot["/AP"]["/N"]
                # the stamp's appearance nests the text box as a form XObject
                data = ap.data
                encodings = []
                for xo in ap.get("/Resources", {}).get("/XObject", {}).values():
                    xo = xo.get_object()
                    data += xo.data
                    for font in xo.get("/Resources", {}).get("/Font", {}).values():
                        encodings.append(str(font.get_object().get("/Encoding")))
                for font in ap.get("/Resources", {}).get("/Font", {}).values():
                    encodings.append(str(font.get_object().get("/Encoding")))
                return data, ",".join(encodings)
    raise AssertionError("no signature appearance found")


def test_dev_stamp_shows_em_dash(dev_creds: devca.DevCredentials) -> None:
    signer = sign.load_signer(dev_creds.p12_path, dev_creds.passphrase)
    ntype = NoticeType.rectification
    out = render_notice(ntype, demo.demo_meta(ntype, test_key=True), demo.rectification(long=False))
    signed = signer.sign(out.pdf, out.sig_page, out.sig_box)
    data, encodings = _stamp_stream(signed)
    assert "/WinAnsiEncoding" in encodings
    # shown strings, as the declared WinAnsi encoding (cp1252) reads them
    shown = [
        bytes.fromhex(h.decode()).decode("cp1252")
        for h in re.findall(rb"<([0-9a-fA-F]+)> Tj", data)
    ]
    # the em dash is 0x97 in WinAnsi; PDFDocEncoding's 0x84 would show as „
    assert "TEST — not valid for enforcement" in shown
    assert any(line.startswith("Digitally signed by: ") for line in shown)


def test_stamp_time_is_in_the_given_zone(dev_creds: devca.DevCredentials) -> None:
    """The stamp shows the signing time in the regulator's zone, with its offset (item 17)."""
    signer = sign.load_signer(dev_creds.p12_path, dev_creds.passphrase)
    ntype = NoticeType.rectification
    out = render_notice(ntype, demo.demo_meta(ntype), demo.rectification(long=False))
    signed = signer.sign(out.pdf, out.sig_page, out.sig_box, zone=ZoneInfo("Asia/Shanghai"))
    data, _ = _stamp_stream(signed)
    shown = [
        bytes.fromhex(h.decode()).decode("cp1252")
        for h in re.findall(rb"<([0-9a-fA-F]+)> Tj", data)
    ]
    times = [line for line in shown if line.startswith("Time: ")]
    assert len(times) == 1 and times[0].endswith(" UTC+08:00"), shown
    stamped = dt.datetime.strptime(times[0][6:25], "%Y-%m-%d %H:%M:%S")
    now = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert abs((now - stamped).total_seconds()) < 600


def test_stamp_time_format() -> None:
    when = dt.datetime(2026, 12, 2, 18, 20, tzinfo=dt.UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    assert sign.stamp_time(when) == "2026-12-03 02:20:00 UTC+08:00"
    assert sign.stamp_time(when.astimezone(dt.UTC)) == "2026-12-02 18:20:00 UTC+00:00"
