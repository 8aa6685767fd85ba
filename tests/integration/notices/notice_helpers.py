"""Helpers for the notice integration tests: complete draft content per type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from audit.notices import demo
from audit.notices.models import NoticeType
from tests.integration.plans.world import World, active_plan, submit_confirmed, unique_png


def full_content(ntype: NoticeType) -> dict[str, Any]:
    model = demo.demo_content(ntype)
    if ntype == NoticeType.rectification:
        model = demo.rectification(long=False)
    return model.model_dump(mode="json")


async def issued_notice(
    cast: Any, operator: str = "a", ntype: NoticeType = NoticeType.rectification
) -> dict[str, Any]:
    from audit.domain.notices import issuing, services

    op = cast.operator_a if operator == "a" else cast.operator_b
    sup = cast.actor("supervisor")
    operator_id = None if ntype == NoticeType.public_notice else op["id"]
    draft = await services.create_draft(
        cast.actor("inspector1"), ntype, operator_id, full_content(ntype)
    )
    await services.approve(draft["id"], sup)
    return await issuing.issue(draft["id"], sup)


async def submitted_inspection(client: Any, world: World, publish: bool = True) -> int:
    """A submitted business-hall inspection of operator A that failed two items (tariffs, wait),
    of a covert plan that is then completed and published (so its findings may be addressed to
    the operator) unless ``publish`` is False (the plan stays active)."""
    plan = await active_plan(client, world, method="covert")
    h = world.cast.headers("inspector2")
    r = await client.post(
        f"/plans/{plan['id']}/inspections",
        json={"venue_id": world.venues["hall_hz"]["id"]},
        headers=h,
    )
    inspection = r.json()
    iid = inspection["id"]
    version = (
        await client.get(f"/checklists/versions/{inspection['checklist_version_id']}", headers=h)
    ).json()
    failing = {"environment.tariffs_posted", "handling.waiting_time"}
    for s in version["content"]["sections"]:
        for item in s["items"]:
            note = "等候47分钟" if item["id"] == "handling.waiting_time" else ""
            await client.put(
                f"/inspections/{iid}/items/{item['id']}",
                json={"result": "fail" if item["id"] in failing else "pass", "note": note},
                headers=h,
            )
    await client.post(
        f"/inspections/{iid}/items/environment.tariffs_posted/evidence",
        files={"file": ("board.png", unique_png("notice"))},
        data={"kind": "photo"},
        headers=h,
    )
    await submit_confirmed(client, world, iid, "inspector2")
    if publish:
        sup = world.cast.headers("supervisor")
        for action in ("complete", "publish"):
            r = await client.post(f"/plans/{plan['id']}/{action}", headers=sup)
            assert r.status_code == 200, r.text
    return int(iid)


def regulator_p12(directory: Path) -> tuple[Path, str]:
    """A PKCS#12 shaped like the regulator's (no TEST mark), for tests: (path, passphrase)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    def name(cn: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "示例省通信管理局"),
                x509.NameAttribute(NameOID.COMMON_NAME, cn),
            ]
        )

    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = (
        x509.CertificateBuilder()
        .subject_name(name("Regulator Root CA"))
        .issuer_name(name("Regulator Root CA"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("示例省通信管理局 文书签发"))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(usage, critical=True)
        .sign(root_key, hashes.SHA256())
    )
    passphrase = "regulator-test-passphrase"
    path = directory / "regulator.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"regulator",
            key,
            leaf,
            [root],
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
    )
    return path, passphrase
