"""Settings: the layers apply in order, bad values fail clearly, every setting is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosque.config import Settings, load_settings, setting_docs

ROOT = Path(__file__).resolve().parents[1]


def test_layers_apply_in_order(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosque.toml"
    cfg.write_text('port = 9001\nsite_name = "from-file"\nallowed_hosts = ["a.example"]\n')
    env = {"KIOSQUE_PORT": "9002", "KIOSQUE_RESPECT_ROBOTS": "false"}
    s = load_settings(cfg, env=env, site_name="from-flag")
    assert s.port == 9002  # env beats file
    assert s.site_name == "from-flag"  # flag beats file
    assert s.allowed_hosts == ["a.example"]
    assert s.respect_robots is False
    assert load_settings(tmp_path / "missing.toml", env={}).port == Settings().port


def test_env_lists_are_comma_separated() -> None:
    s = load_settings("/nonexistent", env={"KIOSQUE_ALLOWED_HOSTS": "127.0.0.1, sim.local"})
    assert s.allowed_hosts == ["127.0.0.1", "sim.local"]


def test_unknown_key_and_bad_value_are_clear_errors(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosque.toml"
    cfg.write_text("prot = 1\n")
    with pytest.raises(ValueError, match="unknown setting 'prot'"):
        load_settings(cfg, env={})
    with pytest.raises(ValueError, match=r"'port'.*int"):
        load_settings("/nonexistent", env={"KIOSQUE_PORT": "eighty"})


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _kind, _default, help_text in setting_docs():
        assert help_text.strip(), f"setting {name} has no help"
        assert f"`{name}`" in readme, f"setting {name} is missing from the README table"


def test_user_agent_names_kiosque_and_contact() -> None:
    s = Settings(contact_url="https://ops.example/contact")
    assert "kiosque" in s.effective_user_agent
    assert "https://ops.example/contact" in s.effective_user_agent
