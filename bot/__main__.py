"""Command line: `python -m bot kb …` (knowledge base) and `python -m bot batch IN OUT` (answer a file of questions)."""
from __future__ import annotations

import argparse
import sys

from bot.kb import cli as kb_cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    kb_cli.add_parser(commands)
    args = parser.parse_args(argv)
    return kb_cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
