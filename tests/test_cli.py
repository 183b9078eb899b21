"""The commands, run the way an operator runs them (click's runner, real database, simulator)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosque.cli import main
from kiosque.simulator import Simulator
from kiosque.sources import dump_sources, load_sources


@pytest.mark.parametrize(
    "args",
    [[], ["serve"], ["poll"], ["sources"], ["sources", "add"], ["sources", "export"],
     ["admin"], ["admin", "create-user"],
     ["simulate"], ["demo"], ["settings"]],
)
def test_every_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KIOSQUE_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
        "KIOSQUE_DATA_DIR": str(tmp_path),
        "KIOSQUE_ALLOWED_HOSTS": "127.0.0.1",
        "KIOSQUE_PER_HOST_DELAY_S": "0",
        "KIOSQUE_CONFIG": str(tmp_path / "none.toml"),
    }


def test_poll_then_sources_shows_health(tmp_path: Path, sim: Simulator) -> None:
    src_file = tmp_path / "sources.toml"
    picked = [s.as_source() for s in sim.sites if not s.faults][:3]
    src_file.write_text(dump_sources(picked), encoding="utf-8")
    env = {**_env(tmp_path), "KIOSQUE_SOURCES_FILE": str(src_file)}
    runner = CliRunner()
    res = runner.invoke(main, ["poll"], env=env)
    assert res.exit_code == 0, res.output
    assert "3 sources polled" in res.output
    for s in picked:
        assert s.slug in res.output
    res = runner.invoke(main, ["sources"], env=env)
    assert res.exit_code == 0, res.output
    assert res.output.count(" ok ") >= 3
    assert "3 sources" in res.output
    # a second cycle finds nothing due: the schedule was persisted
    res = runner.invoke(main, ["poll"], env=env)
    assert "0 sources polled" in res.output


def test_sources_add_discovers_the_feed_of_a_homepage(tmp_path: Path, sim: Simulator) -> None:
    site = sim.sites[0]
    target = tmp_path / "mine.toml"
    res = CliRunner().invoke(main, ["sources", "add", site.base_url + "/", "--into",
                                    str(target)], env=_env(tmp_path))
    assert res.exit_code == 0, res.output
    added = load_sources(target)
    assert [s.feed_url for s in added] == [site.feed_url]
    again = CliRunner().invoke(main, ["sources", "add", site.base_url + "/", "--into",
                                      str(target)], env=_env(tmp_path))
    assert again.exit_code != 0 and "already listed" in again.output


def test_bad_settings_file_is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosque.toml"
    cfg.write_text("no_such_setting = 1\n")
    res = CliRunner().invoke(main, ["--config", str(cfg), "sources"])
    assert res.exit_code != 0
    assert "unknown setting 'no_such_setting'" in res.output


def test_private_address_source_is_refused_not_crashed(tmp_path: Path) -> None:
    src_file = tmp_path / "sources.toml"
    from kiosque.models import Source

    src_file.write_text(dump_sources([Source(slug="internal", name="Internal",
                                             feed_url="http://10.0.0.1/feed")]))
    env = {**_env(tmp_path), "KIOSQUE_SOURCES_FILE": str(src_file),
           "KIOSQUE_ALLOWED_HOSTS": ""}
    res = CliRunner().invoke(main, ["poll"], env=env)
    assert res.exit_code == 0, res.output
    assert "ssrf" in res.output


def test_admin_create_user_then_duplicate_and_short_password(tmp_path: Path) -> None:
    env = _env(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(main, ["admin", "create-user", "amina", "--password-stdin"],
                       input="a long enough secret\n", env=env)
    assert ok.exit_code == 0, ok.output
    assert "moderator amina created" in ok.output
    dup = runner.invoke(main, ["admin", "create-user", "amina", "--password-stdin"],
                        input="another long secret\n", env=env)
    assert dup.exit_code != 0
    short = runner.invoke(main, ["admin", "create-user", "omar", "--password-stdin"],
                          input="short\n", env=env)
    assert short.exit_code != 0
    from kiosque.store import admin as store_admin
    from kiosque.store.engine import make_engine

    with make_engine(env["KIOSQUE_DATABASE_URL"]).connect() as conn:
        assert store_admin.verify_user(conn, "amina", "a long enough secret") is not None
        assert store_admin.verify_user(conn, "amina", "wrong password!!") is None
    changed = runner.invoke(main, ["admin", "set-password", "amina", "--password-stdin"],
                            input="a brand new secret\n", env=env)
    assert changed.exit_code == 0 and "password of amina changed" in changed.output
    with make_engine(env["KIOSQUE_DATABASE_URL"]).connect() as conn:
        assert store_admin.verify_user(conn, "amina", "a brand new secret") is not None
        assert store_admin.verify_user(conn, "amina", "a long enough secret") is None
    unknown = runner.invoke(main, ["admin", "set-password", "nobody", "--password-stdin"],
                            input="a long enough secret\n", env=env)
    assert unknown.exit_code != 0


def test_restart_keeps_an_operators_disable(tmp_path: Path, sim: Simulator) -> None:
    src_file = tmp_path / "sources.toml"
    picked = [s.as_source() for s in sim.sites][:2]
    src_file.write_text(dump_sources(picked), encoding="utf-8")
    env = {**_env(tmp_path), "KIOSQUE_SOURCES_FILE": str(src_file)}
    runner = CliRunner()
    res = runner.invoke(main, ["sources", "disable", picked[0].slug], env=env)
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["sources"], env=env)  # opening the runtime re-syncs the file
    assert "(disabled)" in res.output


def test_poll_with_worker_processes_from_the_installed_command(tmp_path: Path,
                                                               sim: Simulator) -> None:
    """The real console script, so the workers are spawned as an operator's would be."""
    src_file = tmp_path / "sources.toml"
    picked = [s.as_source() for s in sim.sites if not s.faults][:4]
    src_file.write_text(dump_sources(picked), encoding="utf-8")
    env = {**os.environ, **_env(tmp_path), "KIOSQUE_SOURCES_FILE": str(src_file),
           "KIOSQUE_POLL_WORKERS": "2"}
    kiosque = Path(sys.executable).parent / "kiosque"
    done = subprocess.run([str(kiosque), "poll"], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 sources polled" in done.stdout
    assert all(s.slug in done.stdout for s in picked)
    assert " 0 failed" in done.stdout
    assert "Traceback" not in done.stderr
