from __future__ import annotations

from typing import Any

import pytest

from tests.integration.plans.world import World, build_world


@pytest.fixture
async def world(cast: Any) -> World:
    return await build_world(cast)
