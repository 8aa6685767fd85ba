"""The public verification page (what the QR code opens). Status and identity, no content."""

from __future__ import annotations

import html
from typing import Any

from audit.settings import get_settings
from audit.web.assets import asset

TEXT = {
    "authentic": (
        "有效",
        "Authentic",
        "本文书由签发机关正式签发并登记在册。请核对下方指纹与您持有文件的 SHA-256 是否一致。",
    ),
    "revoked": ("已撤销", "Revoked", "本文书已被签发机关撤销,不再具有效力。"),
    "superseded": ("已被更正", "Superseded", "本文书已被更正文书替代,请以更正后的文书为准。"),
    "unknown": ("未登记", "Unknown", "登记簿中没有与该地址对应的已签发文书。"),
    "tampered": ("已被篡改", "Tampered", "文件内容与签发时不一致。"),
}


TEST_LABEL = "测试签名 · TEST signature"
TEST_EXPLAIN = (
    "本文书以开发测试密钥签名,仅供测试,不具执法效力。"
    "Signed with the development TEST key: for testing only, not valid for enforcement."
)


def verification_page(view: dict[str, Any]) -> str:
    status = view["status"]
    zh, en, explain = TEXT[status]
    label = f"{zh} · {en}"
    test = bool(view.get("test_signature"))
    if test:  # never a bare "有效 · Authentic" for a test signature
        label = TEST_LABEL if status == "authentic" else f"{label} · {TEST_LABEL}"
    marker = (
        f'<p id="test-signature" data-test-signature="true"><mark>{TEST_LABEL}</mark> '
        f"{html.escape(TEST_EXPLAIN)}</p>"
        if test
        else ""
    )
    authority = html.escape(get_settings().authority_name)
    rows = ""
    notice = view.get("notice")
    if notice:
        fields = [
            ("文书编号 Number", notice["number"]),
            ("类型 Type", f"{notice['title']} ({notice['notice_type']})"),
            ("受文单位 Addressee", notice["addressee"]),
            ("签发日期 Issue date", notice["issue_date"]),
            ("文件指纹 SHA-256", notice["fingerprint"]),
        ]
        if notice.get("superseded_by"):
            fields.append(("替代文书 Replaced by", notice["superseded_by"]))
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td><code>{html.escape(str(v))}</code></td></tr>"
            for k, v in fields
        )
    fingerprint = html.escape(notice["fingerprint"]) if notice else ""
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>文书核验 Notice verification</title>
<link rel="stylesheet" href="{asset("verify.css")}">
<script src="{asset("verify.js")}" defer></script>
</head><body>
<p>{authority} · 文书核验 / Notice verification</p>
<p class="s {status}" id="status" data-status="{status}">{html.escape(label)}</p>
{marker}<p>{html.escape(explain)}</p>
<table>{rows}</table>
<p>本页只显示文书的登记状态与指纹,不显示文书内容。This page shows the registry status and fingerprint only, never the content.</p>
<p><label>核对本地文件 Check a file: <input type="file" id="f" accept="application/pdf" data-fingerprint="{fingerprint}"></label>
<span id="r"></span></p>
</body></html>"""
