"""The README documents every setting and every CLI command (datasette's habit: docs are tested)."""

from dataclasses import fields

import typer.main

from crosscheck.cli import app
from crosscheck.config import Settings

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def command_names(group, prefix=""):
    click_group = typer.main.get_command(group) if not hasattr(group, "commands") else group
    for name, command in click_group.commands.items():
        if hasattr(command, "commands"):
            yield from command_names(command, prefix + name + " ")
        else:
            yield prefix + name


def test_every_setting_is_in_the_readme_settings_table():
    for f in fields(Settings):
        assert f"`{f.name}`" in README or f"`{f.name}`," in README, f.name
        assert f"CROSSCHECK_{f.name.upper()}" in README, f.name


def test_every_cli_command_is_in_the_readme():
    missing = [name for name in command_names(app) if f"crosscheck {name}" not in README]
    assert not missing, f"undocumented commands: {missing}"


def test_readme_starts_with_exactly_the_two_setup_commands():
    first_block = README.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["make demo", "make test"]
