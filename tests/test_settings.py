"""Settings: a plain frozen dataclass, checked where it is loaded."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import cli
from rashomon.errors import ConfigError, SettingsFileError
from rashomon.settings import SETTINGS, Settings, load_settings


def test_settings_pickle_and_stay_frozen() -> None:
    settings = load_settings(nlp_batch_size=4, story_threshold=0.5)
    assert pickle.loads(pickle.dumps(settings)) == settings
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.nlp_batch_size = 8  # type: ignore[misc]


def test_settings_every_field_is_documented_in_settings() -> None:
    assert [s.name for s in SETTINGS] == [f.name for f in dataclasses.fields(Settings)]
    assert all(s.help for s in SETTINGS)


@pytest.mark.parametrize(("name", "value", "words"), [
    ("nlp_batch_size", 0, "from 1 to 10000"),
    ("embed_batch_size", -3, "from 1 to"),
    ("story_threshold", 1.5, "from 0 to 1"),
    ("variant_threshold", float("nan"), "finite"),
    ("nlp_batch_size", True, "must be int"),
    ("allow_private_urls", 1, "must be bool"),
])
def test_settings_out_of_range_or_wrong_type_is_refused(name: str, value: object,
                                                        words: str) -> None:
    with pytest.raises(ConfigError, match=name) as caught:
        load_settings(**{name: value})
    assert words in str(caught.value)


def test_settings_alias_file_missing_or_malformed_is_refused_when_loaded(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(alias_file=str(tmp_path / "aliases.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("merge,only-one-name\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="rule 1"):
        load_settings(alias_file=str(bad))
    good = tmp_path / "good.csv"
    good.write_text("merge,Ana Kovalenko,Anna Kowalenko\n", encoding="utf-8")
    assert load_settings(alias_file=str(good)).alias_file == str(good)


def test_settings_missing_file_is_a_settings_file_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsFileError):
        load_settings(tmp_path / "nope.toml")


@pytest.mark.parametrize("command", [["stories"], ["ingest", "x.txt"], ["check", "a claim"]])
def test_settings_bad_value_is_one_line_and_exit_2(tmp_path: Path, command: list[str]) -> None:
    config = tmp_path / "r.toml"
    config.write_text("[rashomon]\nnlp_batch_size = 0\n", encoding="utf-8")
    db = tmp_path / "r.db"
    db.touch()  # so that `stories` and `check` reach the settings
    result = CliRunner().invoke(cli, [*command, "--db", str(db), "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: setting nlp_batch_size must be from 1 to 10000, got 0"]


@pytest.mark.parametrize("command", [["stories"], ["ingest", "x.txt"], ["check", "a claim"]])
def test_settings_bad_embed_runtime_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("RASHOMON_EMBED_RUNTIME", "tensorflow")
    db = tmp_path / "r.db"
    db.touch()  # so that `stories` and `check` reach the settings
    result = CliRunner().invoke(cli, [*command, "--db", str(db)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: RASHOMON_EMBED_RUNTIME must be one of onnx, torch, got 'tensorflow'"]
