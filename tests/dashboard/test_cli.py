"""The ``trophees`` command: every sub-command documents itself in French."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dashboard.cli import build_parser


def subcommands() -> dict[str, str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "commande")
    return {name: sub.description or "" for name, sub in action.choices.items()}  # type: ignore[union-attr]


def test_every_subcommand_has_help() -> None:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "commande")
    helps = {choice.dest: choice.help for choice in action._choices_actions}  # type: ignore[attr-defined]
    assert set(helps) == set(subcommands())
    assert all(h and len(h) > 10 for h in helps.values()), helps


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_subcommand_help_runs(name: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", name, "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "usage: trophees" in out.stdout


def test_console_script_is_installed() -> None:
    out = subprocess.run(["trophees", "--help"], capture_output=True, text=True, check=True)
    assert "reference" in out.stdout
