"""What the browser tests share: where Chromium and axe-core live, and how to run axe.

Browser tests skip, with the reason, when Debian's Chromium or the npm tools
(``npm ci --no-audit --no-fund`` installs axe-core into ``node_modules``) are missing,
unless ``KIOSQUE_REQUIRE_BROWSER=1`` (CI) turns the skip into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO / "tests" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
BLOCKING = ("serious", "critical")


def require(condition: bool, reason: str) -> None:
    """Skip when a tool is missing, or fail when CI said browsers are required."""
    if condition:
        return
    if os.environ.get("KIOSQUE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"KIOSQUE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def run_axe(page: Any, axe: Path) -> list[dict[str, Any]]:
    """axe-core's violations on the loaded page (the context must bypass the CSP, since
    the site forbids the injected script, as it should)."""
    page.add_script_tag(path=str(axe))
    result: dict[str, Any] = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """The serious and critical violations, one readable line each."""
    lines = []
    for v in violations:
        if v.get("impact") in BLOCKING:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
            summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")
            lines.append(f"{v['impact']} {v['id']}: {v['help']} at {targets} ({summary[:200]})")
    return lines
