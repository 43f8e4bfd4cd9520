"""The `casebridge` command.

Each sub-command lives in a module of this package that exposes `register(subparsers)`;
a command's handler takes the parsed arguments and returns an exit code. Expected
failures raise `CliError` and end as one clear line on stderr with a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from casebridge import __version__
from casebridge.cli.errors import CliError

COMMAND_MODULES = (
    "casebridge.cli.core",
    "casebridge.cli.client",
    "casebridge.cli.projections",
    "casebridge.cli.legal",
    "casebridge.cli.users",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casebridge",
        description="CaseBridge: hand cases between market regulators, request evidence, run joint actions.",
    )
    parser.add_argument("--version", action="version", version=f"casebridge {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        _check_text(args)
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"casebridge: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _check_text(args: argparse.Namespace) -> None:
    """Every text argument passes the domain's one check for storable text (a byte that is
    not UTF-8 arrives as a lone surrogate; control characters arrive as they are)."""
    from casebridge.domain.errors import ValidationError
    from casebridge.domain.values import acceptable

    for name, given in vars(args).items():
        for value in given if isinstance(given, (list, tuple)) else [given]:
            if isinstance(value, str):
                try:
                    acceptable(value, "--" + name.replace("_", "-"))
                except ValidationError as exc:
                    raise CliError(exc.message, exit_code=2) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
