"""`python -m bot.web`: run the pages server alone (`python -m bot serve` runs it with everything else).

Environment (defaults in brackets): YIBAO_PAGES_PORT [8000], YIBAO_PAGES_HOST [0.0.0.0], YIBAO_RASA_PORT
[5005], YIBAO_RASA_PUBLIC_URL [the demo page's own host, Rasa's port]: the Rasa address browsers are given.
"""

from __future__ import annotations

import argparse
import os

from bot.web.server import PagesConfig, run


def main(argv: list[str] | None = None) -> None:
    env = os.environ
    parser = argparse.ArgumentParser(
        prog="python -m bot.web", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=int(env.get("YIBAO_PAGES_PORT", 8000)))
    parser.add_argument("--host", default=env.get("YIBAO_PAGES_HOST", "0.0.0.0"))
    parser.add_argument("--rasa-port", type=int, default=int(env.get("YIBAO_RASA_PORT", 5005)))
    parser.add_argument("--rasa-public-url", default=env.get("YIBAO_RASA_PUBLIC_URL"))
    args = parser.parse_args(argv)
    run(
        PagesConfig(
            port=args.port, host=args.host, rasa_port=args.rasa_port, rasa_public_url=args.rasa_public_url
        )
    )


if __name__ == "__main__":
    main()
