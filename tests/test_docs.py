"""The docs cannot drift from the code: settings, commands, exit codes and CI's commands."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from rashomon.cli import cli
from rashomon.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_docs_every_setting_is_in_the_readme_with_its_help(setting) -> None:
    row = next((line for line in README.splitlines() if line.startswith(f"| `{setting.name}`")), None)
    assert row is not None, f"setting {setting.name} is not documented in README.md"
    assert setting.help in row


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_docs_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = cli.commands[name]
    assert command.help and len(command.help) > 40
    assert f"rashomon {name}" in README
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{name} {param.opts} has no help"


def test_docs_ci_runs_the_readme_setup_commands_verbatim() -> None:
    blocks = re.findall(r"```bash\n(.*?)```", README.split("## Set-up", 1)[1], flags=re.S)
    install, tests = blocks[0].strip(), blocks[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install in ci and tests in ci
    assert "rashomon analyze examples/" in install


def test_docs_exit_codes_in_readme_match_the_cli() -> None:
    from rashomon import cli as cli_module

    for code in (cli_module.EXIT_OK, cli_module.EXIT_FAILED_INPUTS, 2, cli_module.EXIT_NOTHING_DONE):
        assert f"| {code} |" in README
