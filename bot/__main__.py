"""Command line: `python -m bot kb …` (knowledge base), `python -m bot nlu generate` (NLU inputs),
`python -m bot batch IN.jsonl OUT.jsonl` (answer a file of questions)."""
from __future__ import annotations

import argparse
import sys

from bot import batch
from bot.kb import cli as kb_cli
from bot.nlu import cli as nlu_cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    kb_cli.add_parser(commands)
    nlu_cli.add_parser(commands)
    batch.add_parser(commands)
    args = parser.parse_args(argv)
    runners = {"kb": kb_cli.run, "nlu": nlu_cli.run, "batch": batch.main}
    return runners[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
