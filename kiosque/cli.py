"""The ``kiosque`` command: the only place that wires every stage together."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine

from kiosque import __version__, heap
from kiosque.config import Settings, load_settings, setting_docs
from kiosque.fetch import Fetcher
from kiosque.ingest import Ingestor, RefreshReport
from kiosque.models import Source
from kiosque.scheduler.runner import Scheduler
from kiosque.scheduler.workers import PollWorkers
from kiosque.search import SearchBackend, backend_for
from kiosque.sources import default_sources, dump_sources, from_opml, load_sources, to_opml
from kiosque.store import repo
from kiosque.store.engine import make_engine, migrate

log = logging.getLogger("kiosque")


@dataclass
class Runtime:
    """Everything a command needs, built once from the settings."""

    settings: Settings
    engine: Engine
    search: SearchBackend


def configured_sources(settings: Settings) -> list[Source]:
    if settings.sources_file:
        return load_sources(settings.sources_file)
    return default_sources()


def open_runtime(settings: Settings, sync: bool = True) -> Runtime:
    """Migrate the database, bring the source list in, pick the search backend."""
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    migrate(engine)
    if sync:
        with engine.begin() as conn:
            repo.sync_sources(conn, configured_sources(settings), datetime.now(UTC))
    return Runtime(settings, engine, backend_for(engine.dialect.name))


@contextmanager
def _quiet_errors() -> Iterator[None]:
    """Turn expected user errors (bad config, bad source file) into a clear message."""
    try:
        yield
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if verbose:
        logging.getLogger("httpx").setLevel(logging.WARNING)


pass_settings = click.make_pass_decorator(Settings)


@click.group()
@click.version_option(__version__, prog_name="kiosque")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Settings file (default: ./kiosque.toml when present).")
@click.option("--database-url", default=None, help="Overrides the database_url setting.")
@click.option("--data-dir", default=None, help="Overrides the data_dir setting.")
@click.option("--sources-file", default=None, help="Overrides the sources_file setting.")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, database_url: str | None,
         data_dir: str | None, sources_file: str | None, verbose: bool) -> None:
    """kiosque: a news aggregator and news search engine for a region's press."""
    _setup_logging(verbose)
    with _quiet_errors():
        ctx.obj = load_settings(config_path, database_url=database_url, data_dir=data_dir,
                                sources_file=sources_file)


# --- serve / poll -------------------------------------------------------------------


@asynccontextmanager
async def _scheduling(rt: Runtime, scheduler_on: bool, stop: asyncio.Event, *,
                      site_elsewhere: bool = False) -> AsyncIterator[None]:
    """The scheduler (when on) for the duration of the block; on the way out it is asked
    to stop, given ten seconds, and its poll workers are closed. When the site runs in
    other processes (``site_elsewhere``) the ingester may block this loop."""
    tasks: list[asyncio.Task[Any]] = []
    workers = _poll_workers(rt.settings) if scheduler_on else None
    async with Fetcher(rt.settings) as fetcher:
        heap.settle()  # start-up is over: what it made stays
        if scheduler_on:
            ingestor = Ingestor(rt.settings, rt.engine, fetcher, rt.search,
                                inline=site_elsewhere)
            scheduler = Scheduler(rt.settings, rt.engine, ingestor, workers=workers)
            tasks.append(asyncio.create_task(scheduler.run_forever(stop)))
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                try:
                    await asyncio.wait_for(task, timeout=10)
                except (TimeoutError, asyncio.CancelledError):
                    task.cancel()
            if workers is not None:
                workers.close()


async def _serve(rt: Runtime, host: str, port: int, scheduler_on: bool) -> None:
    import uvicorn

    from kiosque.web.app import create_app

    app = create_app(rt.settings, rt.engine)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                            timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)
    async with _scheduling(rt, scheduler_on, asyncio.Event()):
        click.echo(f"kiosque serving on http://{host}:{port}/ (Ctrl-C stops)")
        await server.serve()


@main.command()
@click.option("--host", default=None, help="Address to listen on (setting: host).")
@click.option("--port", type=int, default=None, help="Port to listen on (setting: port).")
@click.option("--no-scheduler", is_flag=True, help="Serve the site only; do not poll.")
@click.option("--web-workers", type=click.IntRange(min=1), default=None,
              help="Processes serving the site (setting: web_workers).")
@pass_settings
def serve(settings: Settings, host: str | None, port: int | None, no_scheduler: bool,
          web_workers: int | None) -> None:
    """Serve the site and API, and poll the sources in the background."""
    host, port = host or settings.host, port or settings.port
    count = web_workers or settings.web_workers
    _check_port_free(host, port, "port")
    with _quiet_errors():
        rt = open_runtime(settings)
    if count > 1:
        _serve_with_web_workers(rt, host, port, not no_scheduler, count)
    else:
        with suppress(KeyboardInterrupt):  # Ctrl-C is how an operator stops it
            asyncio.run(_serve(rt, host, port, not no_scheduler))
    click.echo("kiosque stopped")


def _serve_with_web_workers(rt: Runtime, host: str, port: int, scheduler_on: bool,
                            count: int) -> None:
    """The site in ``count`` processes (``kiosque.web.server``); this process keeps the
    scheduler, the only writer, and stops everything on Ctrl-C or SIGTERM."""
    from functools import partial

    from kiosque.web.app import app_from_settings
    from kiosque.web.server import WebWorkers

    web = WebWorkers(partial(app_from_settings, rt.settings), host, port, count)
    with _quiet_errors():
        web.start()
    try:
        try:
            web.wait_ready()
        except (RuntimeError, TimeoutError) as exc:
            raise click.ClickException(f"{exc} (see the errors above)") from exc
        click.echo(f"kiosque serving on http://{host}:{port}/ with {count} web processes "
                   "(Ctrl-C stops)")
        asyncio.run(_background(rt, scheduler_on, web))
    except KeyboardInterrupt:
        pass
    finally:
        web.stop()


async def _background(rt: Runtime, scheduler_on: bool, web: Any) -> None:
    """The scheduler (when on) until a signal, or until every web process has died."""
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with _scheduling(rt, scheduler_on, stop, site_elsewhere=True):
        while not stop.is_set():
            if not web.alive():
                click.echo("every web process has exited; stopping", err=True)
                break
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)


def _poll_workers(settings: Settings) -> PollWorkers | None:
    """Worker processes for the scheduler when the settings ask for them."""
    return PollWorkers(settings, settings.poll_workers) if settings.poll_workers > 0 else None


async def _poll(rt: Runtime, slugs: tuple[str, ...], everything: bool) -> list[RefreshReport]:
    workers = _poll_workers(rt.settings)
    try:
        return await _poll_with(rt, slugs, everything, workers)
    finally:
        if workers is not None:
            workers.close()


async def _poll_with(rt: Runtime, slugs: tuple[str, ...], everything: bool,
                     workers: PollWorkers | None) -> list[RefreshReport]:
    async with Fetcher(rt.settings) as fetcher:
        # nothing else runs on this loop: no thread to hand the work to
        ingestor = Ingestor(rt.settings, rt.engine, fetcher, rt.search, inline=True)
        scheduler = Scheduler(rt.settings, rt.engine, ingestor, workers=workers)
        if not slugs and not everything:
            return await scheduler.run_once()
        with rt.engine.connect() as conn:
            states = [s for s in repo.all_source_states(conn) if s.source.enabled]
        if slugs:
            states = [s for s in states if s.source.slug in slugs]
            missing = set(slugs) - {s.source.slug for s in states}
            if missing:
                raise click.ClickException(f"unknown or disabled source(s): {sorted(missing)}")
        return await scheduler.refresh_many(states)


@main.command()
@click.argument("slugs", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Poll every enabled source, due or not.")
@pass_settings
def poll(settings: Settings, slugs: tuple[str, ...], everything: bool) -> None:
    """Run one poll cycle (the due sources, or the named ones) and report."""
    with _quiet_errors():
        rt = open_runtime(settings)
    heap.settle()
    reports = asyncio.run(_poll(rt, slugs, everything))
    for r in sorted(reports, key=lambda r: r.slug):
        line = f"{r.slug:32} {r.status:13} new={r.new:<4} updated={r.updated:<3} " \
               f"entries={r.entries:<4} {r.elapsed_s:6.2f}s"
        click.echo(line + (f"  {r.error}" if r.error else ""))
    total = sum(r.new for r in reports)
    failed = sum(1 for r in reports if r.status == "error")
    click.echo(f"{len(reports)} sources polled, {total} new articles, {failed} failed")


# --- sources ------------------------------------------------------------------------


@main.group(invoke_without_command=True)
@click.pass_context
def sources(ctx: click.Context) -> None:
    """List the sources with their health (and manage them: see subcommands)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(sources_list)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@sources.command("list")
@pass_settings
def sources_list(settings: Settings) -> None:
    """Each source: health, last success, last error, next check."""
    with _quiet_errors():
        rt = open_runtime(settings)
    with rt.engine.connect() as conn:
        states = repo.all_source_states(conn)
    click.echo(f"{'slug':28} {'lang':4} {'health':8} {'last success':16} {'next check':16} "
               "last error")
    for s in states:
        flag = "" if s.source.enabled else " (disabled)"
        unverified = "" if s.source.verified else " [unverified]"
        click.echo(
            f"{s.source.slug:28} {s.source.lang:4} {s.health.value:8} "
            f"{_when(s.last_success_at):16} {_when(s.next_check_at):16} "
            f"{s.last_error[:60]}{flag}{unverified}"
        )
    click.echo(f"{len(states)} sources")


@sources.command("export")
@click.option("--format", "fmt", type=click.Choice(["toml", "opml"]), default="toml")
@pass_settings
def sources_export(settings: Settings, fmt: str) -> None:
    """Print the configured source list as TOML or OPML."""
    with _quiet_errors():
        items = configured_sources(settings)
    click.echo(dump_sources(items) if fmt == "toml" else to_opml(items, "kiosque sources"))


@sources.command("import")
@click.argument("opml_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--into", "target", type=click.Path(dir_okay=False), required=True,
              help="Source list file (TOML) to merge the OPML feeds into.")
def sources_import(opml_file: str, target: str) -> None:
    """Merge the feeds of an OPML file into a source list file."""
    with _quiet_errors():
        incoming = from_opml(Path(opml_file).read_bytes())
        existing = load_sources(target) if Path(target).exists() else []
        slugs = {s.slug for s in existing}
        feeds = {s.feed_url for s in existing}
        added = []
        for src in incoming:
            if src.feed_url in feeds:
                continue
            base, n = src.slug, 2
            while src.slug in slugs:  # a new feed whose slug is taken gets a suffix
                src.slug, n = f"{base}-{n}", n + 1
            slugs.add(src.slug)
            feeds.add(src.feed_url)
            added.append(src)
        Path(target).write_text(dump_sources(existing + added), encoding="utf-8")
    click.echo(f"{len(added)} sources added to {target} ({len(incoming) - len(added)} known)")


@sources.command("add")
@click.argument("url")
@click.option("--slug", default=None, help="Slug to give the source (default: from its name).")
@click.option("--lang", default="", help="Language of the source, when known.")
@click.option("--into", "target", type=click.Path(dir_okay=False), default=None,
              help="Source list file to add it to (default: the sources_file setting).")
@pass_settings
def sources_add(settings: Settings, url: str, slug: str | None, lang: str,
                target: str | None) -> None:
    """Discover the feeds of a site (or take a feed URL) and add it to the source list."""
    from kiosque.discovery import discover_source

    target = target or settings.sources_file
    if not target:
        raise click.ClickException("no source list file: pass --into or set sources_file")
    with _quiet_errors():
        found = asyncio.run(discover_source(settings, url, slug=slug, lang=lang))
    if found is None:
        raise click.ClickException(f"no feed found at or behind {url}")
    with _quiet_errors():
        existing = load_sources(target) if Path(target).exists() else []
        if any(s.slug == found.slug or s.feed_url == found.feed_url for s in existing):
            raise click.ClickException(f"{found.slug} ({found.feed_url}) is already listed")
        Path(target).write_text(dump_sources([*existing, found]), encoding="utf-8")
    click.echo(f"added {found.slug}: {found.feed_url}")


@sources.command("disable")
@click.argument("slug")
@pass_settings
def sources_disable(settings: Settings, slug: str) -> None:
    """Stop polling a source (kept in the archive)."""
    _set_enabled(settings, slug, False)


@sources.command("enable")
@click.argument("slug")
@pass_settings
def sources_enable(settings: Settings, slug: str) -> None:
    """Poll a disabled source again."""
    _set_enabled(settings, slug, True)


def _set_enabled(settings: Settings, slug: str, enabled: bool) -> None:
    with _quiet_errors():
        rt = open_runtime(settings)
    with rt.engine.begin() as conn:
        if not repo.set_source_enabled(conn, slug, enabled):
            raise click.ClickException(f"unknown source {slug!r}")
    click.echo(f"{slug} {'enabled' if enabled else 'disabled'}")


# --- simulator and demo -------------------------------------------------------------


@main.command()
@click.option("--host", default=None, help="Address (setting: sim_host).")
@click.option("--port", type=int, default=None, help="First port (setting: sim_base_port).")
@click.option("--seed", type=int, default=None, help="Seed (setting: sim_seed).")
@click.option("--speed", type=float, default=None, help="Simulated s per real s.")
@click.option("--no-faults", is_flag=True, help="Serve every site fast and well-formed.")
@click.option("--write-sources", type=click.Path(dir_okay=False), default=None,
              help="Write the simulated sites as a source list file, then serve.")
@pass_settings
def simulate(settings: Settings, host: str | None, port: int | None, seed: int | None,
             speed: float | None, no_faults: bool, write_sources: str | None) -> None:
    """Serve the demo publishers: generated multilingual news sites on local ports."""
    from kiosque.simulator import Simulator

    sim = Simulator(
        host=host or settings.sim_host,
        base_port=port if port is not None else settings.sim_base_port,
        seed=seed if seed is not None else settings.sim_seed,
        speed=speed if speed is not None else settings.sim_speed,
        faults=not no_faults,
    )
    if write_sources:
        Path(write_sources).write_text(
            dump_sources([s.as_source() for s in sim.sites]), encoding="utf-8")
    for site in sim.sites:
        click.echo(f"{site.slug:28} {site.lang}  {site.feed_url}  {','.join(site.faults)}")
    click.echo("simulator running (Ctrl-C stops)")
    with suppress(KeyboardInterrupt):
        asyncio.run(sim.serve())


def _check_port_free(host: str, port: int, setting: str) -> None:
    """Fail early and clearly when the port is taken, before starting anything."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise click.ClickException(
                f"{host}:{port} is not free ({exc.strerror}); is kiosque already running? "
                f"Choose another with --port or KIOSQUE_{setting.upper()}.") from exc


@main.command()
@click.option("--port", type=int, default=None, help="Port of the site (setting: port).")
@pass_settings
def demo(settings: Settings, port: int | None) -> None:
    """Start the demo publishers and kiosque polling them, offline, on one machine."""
    from kiosque.simulator import Simulator

    site_port = port or settings.port
    _check_port_free(settings.host, site_port, "port")
    sim = Simulator(host=settings.sim_host, base_port=settings.sim_base_port,
                    seed=settings.sim_seed, speed=settings.sim_speed)
    try:
        sim.start_in_thread()
    except OSError as exc:
        raise click.ClickException(
            f"the demo publishers cannot listen on {settings.sim_host}:"
            f"{settings.sim_base_port} and up ({exc.strerror}); is another demo running? "
            "Set KIOSQUE_SIM_BASE_PORT to use other ports.") from exc
    data = Path(settings.data_dir)
    data.mkdir(parents=True, exist_ok=True)
    sources_file = data / "demo-sources.toml"
    sources_file.write_text(dump_sources([s.as_source() for s in sim.sites]), "utf-8")
    demo_settings = settings.with_overrides(
        sources_file=str(sources_file),
        allowed_hosts=[*settings.allowed_hosts, settings.sim_host],
        per_host_delay_s=min(settings.per_host_delay_s, 0.25),
        min_interval_s=min(settings.min_interval_s, 60),
        default_interval_s=min(settings.default_interval_s, 120),
    )
    click.echo(f"demo publishers: {len(sim.sites)} sites on {settings.sim_host}:"
               f"{sim.sites[0].port}-{sim.sites[-1].port}")
    try:
        with _quiet_errors():
            rt = open_runtime(demo_settings)
        asyncio.run(_serve(rt, demo_settings.host, site_port, True))
    except KeyboardInterrupt:
        pass
    finally:
        # requests cut short by the stop (a slow publisher mid-answer) are expected now
        logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)
        sim.stop()
        click.echo("demo stopped")


# --- moderators ---------------------------------------------------------------------


@main.group()
def admin() -> None:
    """Moderator accounts for the /admin desk."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def _write_password(settings: Settings, username: str, from_stdin: bool, new: bool) -> None:
    """Create the account, or set its password; clear errors for a bad name or password."""
    from kiosque.store import admin as store_admin

    password = _read_password(from_stdin)
    action = store_admin.create_user if new else store_admin.set_password
    with _quiet_errors():
        rt = open_runtime(settings, sync=False)
        with rt.engine.begin() as conn:
            action(conn, username, password, datetime.now(UTC))


password_stdin_option = click.option("--password-stdin", is_flag=True,
                                     help="Read the password from stdin.")


@admin.command("create-user")
@click.argument("username")
@password_stdin_option
@pass_settings
def admin_create_user(settings: Settings, username: str, password_stdin: bool) -> None:
    """Create a moderator account (password hashed with argon2id)."""
    _write_password(settings, username, password_stdin, new=True)
    click.echo(f"moderator {username} created")


@admin.command("set-password")
@click.argument("username")
@password_stdin_option
@pass_settings
def admin_set_password(settings: Settings, username: str, password_stdin: bool) -> None:
    """Change a moderator's password (ends their open sessions)."""
    _write_password(settings, username, password_stdin, new=False)
    click.echo(f"password of {username} changed")


# --- settings -----------------------------------------------------------------------


@main.command("settings")
@click.option("--markdown", is_flag=True, help="Print the table as Markdown (for the README).")
def settings_cmd(markdown: bool) -> None:
    """Every setting with its default and what it does."""
    rows = setting_docs()
    if markdown:
        click.echo("| setting | environment | default | what it does |")
        click.echo("|---|---|---|---|")
        for name, _kind, default, text in rows:
            click.echo(f"| `{name}` | `KIOSQUE_{name.upper()}` | `{default!r}` | {text} |")
        return
    for name, kind, default, text in rows:
        click.echo(f"{name} ({kind}, default {default!r})\n    {text}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
