"""Shared fixtures for the pure notice tests: a dev signing identity and poppler helpers."""

from __future__ import annotations

from typing import Any

import pytest

from audit.notices import devca, sign, verify


@pytest.fixture(scope="session")
def dev_creds(tmp_path_factory: pytest.TempPathFactory) -> devca.DevCredentials:
    return devca.ensure_dev_credentials(tmp_path_factory.mktemp("devca"))


@pytest.fixture(scope="session")
def signer(dev_creds: devca.DevCredentials) -> sign.NoticeSigner:
    return sign.load_signer(dev_creds.p12_path, dev_creds.passphrase)


@pytest.fixture(scope="session")
def roots(dev_creds: devca.DevCredentials) -> list[Any]:
    return verify.load_trust_roots([dev_creds.root_cert_path])
