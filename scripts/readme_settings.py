"""Rewrite the settings table in README.md from the declarations in kiosque/config.py.

Run after adding or changing a setting; tests/test_config.py fails while the README
misses one.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosque.config import setting_docs

README = Path(__file__).resolve().parents[1] / "README.md"


def table() -> str:
    lines = ["| setting | environment | default | what it does |", "|---|---|---|---|"]
    for name, _kind, default, text in setting_docs():
        lines.append(f"| `{name}` | `KIOSQUE_{name.upper()}` | `{default!r}` | {text} |")
    return "\n".join(lines)


def main() -> None:
    text = README.read_text(encoding="utf-8")
    new = re.sub(
        r"(<!-- settings-table:start -->\n).*?(<!-- settings-table:end -->)",
        lambda m: m.group(1) + table() + "\n" + m.group(2),
        text,
        flags=re.S,
    )
    README.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
