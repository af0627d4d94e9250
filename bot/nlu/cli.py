"""`python -m bot nlu generate`: the jieba dictionary and the generated training data."""

from __future__ import annotations

import argparse

from bot.kb.store import KnowledgeBase
from bot.nlu.generate import handwritten_texts, write_jieba_dictionary, write_training_data


def add_parser(commands: argparse._SubParsersAction) -> None:
    nlu = commands.add_parser("nlu", help="generate NLU inputs from the knowledge base").add_subparsers(
        dest="nlu_command", required=True
    )
    nlu.add_parser("generate", help="write knowledge/build/jieba/ and nlu_data/generated/")


def run(args: argparse.Namespace) -> int:
    kb = KnowledgeBase()
    path = write_jieba_dictionary(kb)
    write_training_data(kb, exclude=handwritten_texts())
    print(f"wrote {path} and nlu_data/generated/")
    return 0
