"""One typed settings object, layered: defaults < kiosque.toml < KIOSQUE_* env < CLI flags.

Every setting is declared once below, with its type, default and a line of help; the
README's settings table is generated from the same declarations (``kiosque settings``),
and a test fails when a setting is missing from the docs. The object is passed to
whoever needs it, never read from a global, so tests can run several configurations
side by side.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


def _s(default: Any, help: str) -> Any:
    """Declare a setting with its help text (kept in the field metadata)."""
    if isinstance(default, list | dict):
        return field(default_factory=lambda: type(default)(default), metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(slots=True)
class Settings:
    """Every knob kiosque has; see ``kiosque settings`` for the documented table."""

    # storage
    database_url: str = _s("sqlite:///var/kiosque.db", "SQLAlchemy URL of the database "
                           "(sqlite:///path or postgresql://user@host/db).")
    data_dir: str = _s("var", "Directory for the SQLite database, images and caches.")
    sources_file: str = _s("", "Source list (TOML). Empty: the built-in default list.")

    # fetching
    user_agent: str = _s("kiosque/0.1 (+{contact_url})", "User-Agent sent to publishers; "
                         "{contact_url} is replaced.")
    contact_url: str = _s("https://github.com/kiosque/kiosque", "Where publishers can "
                          "reach the operator of this instance.")
    allowed_hosts: list[str] = _s(  # noqa: RUF009 (_s returns a field with a factory)
        [], "Hosts exempt from the private-address (SSRF) guard, e.g. the demo "
        "publishers on 127.0.0.1.")
    max_concurrency: int = _s(32, "Requests in flight at once, all hosts together.")
    per_host_concurrency: int = _s(2, "Requests in flight at once to one host.")
    per_host_delay_s: float = _s(1.0, "Minimum pause between two requests to one host.")
    connect_timeout_s: float = _s(10.0, "TCP/TLS connect timeout.")
    read_timeout_s: float = _s(20.0, "Time allowed between two reads of a response.")
    total_timeout_s: float = _s(60.0, "Time allowed for a whole response.")
    max_body_bytes: int = _s(10 * 1024 * 1024, "Largest response body read; a larger one "
                             "is cut and refused.")
    max_image_bytes: int = _s(8 * 1024 * 1024, "Largest lead image fetched; larger ones "
                              "are dropped.")
    max_redirects: int = _s(5, "Redirects followed before giving up.")
    respect_robots: bool = _s(True, "Honour robots.txt.")

    # scheduling
    min_interval_s: int = _s(300, "Shortest time between two polls of one source.")
    max_interval_s: int = _s(6 * 3600, "Longest time between two polls of one source.")
    default_interval_s: int = _s(900, "Poll interval of a source we know nothing about yet.")
    poll_tick_s: float = _s(5.0, "How often the in-process scheduler looks for due sources.")
    poll_workers: int = _s(0, "Worker processes that fetch and parse for the scheduler, "
                           "sources split among them by host; the scheduler's process "
                           "still does every write. 0: poll in the scheduler's process.")
    dead_after_failures: int = _s(20, "Consecutive failures after which a source is dead.")

    # site
    host: str = _s("127.0.0.1", "Address the site listens on.")
    port: int = _s(8000, "Port the site listens on.")
    web_workers: int = _s(1, "Processes serving the site, each on its own SO_REUSEPORT "
                          "socket so the kernel shares connections among them; the "
                          "scheduler stays in the parent process. 1: one process.")
    base_url: str = _s("", "Public URL of the site, for feeds and sitemaps. Empty: taken "
                       "from the request.")
    default_lang: str = _s("fr", "Interface language when the browser states none.")
    site_name: str = _s("kiosque", "Name shown in the header and feeds.")
    page_size: int = _s(30, "Articles per list page.")
    page_cache_s: float = _s(10.0, "Seconds a public page is kept in memory once rendered "
                             "(per process; 0 turns it off).")
    secret_key: str = _s("", "Key that signs cookies. Empty: one is generated and kept in "
                         "data_dir.")

    # moderation
    report_threshold: int = _s(3, "Distinct readers whose reports block an image.")

    # simulator (demo publishers)
    sim_host: str = _s("127.0.0.1", "Address of the publisher simulator.")
    sim_base_port: int = _s(8100, "First port of the simulator; one port per site.")
    sim_seed: int = _s(42, "Seed of the simulator; same seed, same news.")
    sim_speed: float = _s(1.0, "Simulated seconds of news per real second (1: real time).")

    # --- helpers -------------------------------------------------------------------
    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the URL is SQLite on disk."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix):
            return Path(self.database_url[len(prefix):])
        return None

    @property
    def effective_user_agent(self) -> str:
        return self.user_agent.replace("{contact_url}", self.contact_url)

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some settings replaced (CLI flags use this)."""
        clean = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **clean)


def setting_docs() -> list[tuple[str, str, Any, str]]:
    """(name, type, default, help) for every setting, in declaration order."""
    out: list[tuple[str, str, Any, str]] = []
    defaults = Settings()
    for f in fields(Settings):
        out.append((f.name, str(f.type), getattr(defaults, f.name), f.metadata["help"]))
    return out


def _coerce(name: str, raw: Any, kind: str) -> Any:
    """Turn a TOML or environment value into the declared type, with a clear error."""
    try:
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind.startswith("list"):
            if isinstance(raw, list):
                return [str(x) for x in raw]
            return [part.strip() for part in str(raw).split(",") if part.strip()]
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"setting {name!r}: cannot read {raw!r} as {kind}") from exc


def load_settings(
    toml_path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings from the layers; unknown keys are an error, not silently ignored."""
    env = os.environ if env is None else env
    kinds = {f.name: str(f.type) for f in fields(Settings)}
    values: dict[str, Any] = {}

    path = Path(toml_path) if toml_path else Path(env.get("KIOSQUE_CONFIG", "kiosque.toml"))
    if path.is_file():
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        section = data.get("kiosque", data)
        for key, raw in section.items():
            if key not in kinds:
                raise ValueError(f"{path}: unknown setting {key!r}")
            values[key] = _coerce(key, raw, kinds[key])

    for key, kind in kinds.items():
        env_key = "KIOSQUE_" + key.upper()
        if env_key in env:
            values[key] = _coerce(key, env[env_key], kind)

    for key, raw in overrides.items():
        if raw is None:
            continue
        if key not in kinds:
            raise ValueError(f"unknown setting {key!r}")
        values[key] = _coerce(key, raw, kinds[key])
    return Settings(**values)
