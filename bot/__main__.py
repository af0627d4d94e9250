"""Command line: `python -m bot kb …` (knowledge base), `python -m bot nlu generate` (NLU inputs),
`python -m bot batch IN.jsonl OUT.jsonl` (answer a file of questions), `python -m bot eval` (cross-validated
and blind-set figures), `python -m bot serve` (run everything), `python -m bot review` (what went wrong in
the stored conversations) and `python -m bot learn FILE` (labelled review items into the training data)."""

from __future__ import annotations

import argparse
import os
import sys

# Rasa reports usage and errors to its servers unless told not to; nothing here may leave the machine.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bot import batch, serve
from bot.evaluation import cli as eval_cli
from bot.kb import cli as kb_cli
from bot.nlu import cli as nlu_cli
from bot.review import cli as review_cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    kb_cli.add_parser(commands)
    nlu_cli.add_parser(commands)
    batch.add_parser(commands)
    eval_cli.add_parser(commands)
    review_cli.add_parser(commands)
    commands.add_parser("serve", help="run the action server, the Rasa server (all channels) and the pages")
    args = parser.parse_args(argv)
    runners = {
        "kb": kb_cli.run,
        "nlu": nlu_cli.run,
        "batch": batch.main,
        "eval": eval_cli.run,
        "review": review_cli.review,
        "learn": review_cli.run_learn,
        "serve": lambda _: serve.serve(serve.Settings.from_env()),
    }
    return runners[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
