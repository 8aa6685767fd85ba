"""Where the shared public data sets live: ``../shared/datasets`` beside the repository
(as on developers' machines and in CI), or ``AUDIT_SHARED_DIR``."""

from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("AUDIT_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared"))
DATASETS = SHARED / "datasets"
