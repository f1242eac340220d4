"""Command line ``trophees``: the ETL's commands plus the app's (jury, press, operations).

The ETL never imports the app, so the app's command modules register themselves here,
the composition root. Each module in ``EXTENSIONS`` exposes ``register(sub)``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib import import_module

from etl import cli as etl_cli

# Modules adding sub-commands; each has ``register(sub: etl.cli.Subcommands) -> None``.
EXTENSIONS: tuple[str, ...] = (
    "dashboard.accounts.cli",
    "dashboard.corrections.cli",
    "dashboard.jury.cli",
    "dashboard.press.cli",
    "dashboard.site.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser, sub = etl_cli.new_parser()
    etl_cli.register(sub)
    for name in EXTENSIONS:
        import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return etl_cli.run(build_parser(), argv)


if __name__ == "__main__":
    raise SystemExit(main())
