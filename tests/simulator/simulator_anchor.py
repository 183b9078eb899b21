"""Constants shared by the simulator tests (a uniquely named module, not conftest)."""

from __future__ import annotations

from datetime import UTC, datetime

ANCHOR = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SLOW_DELAY = 0.4
