"""`python -m bot.web`: run the pages server alone (`python -m bot serve` runs it with everything else).

Environment (defaults in brackets): YIBAO_PAGES_PORT [8000], YIBAO_PAGES_HOST [0.0.0.0], YIBAO_RASA_PORT
[5005], YIBAO_RASA_PUBLIC_URL [the demo page's own host, Rasa's port]: the Rasa address browsers are given,
YIBAO_ALLOWED_ORIGINS [none]: comma-separated origins (https://12345.example.gov.cn) whose pages may POST to
/api/ besides the pages' own, for when a proxy in front changes the scheme or host (HOTLINE_API.md),
YIBAO_HOTLINE_TOKEN: what the hotline API shows the Rasa server's hotline channel (`python -m bot serve`
shares one), YIBAO_REVIEW_TOKEN [none: the review is off]: the token of /review/ (bot/web/review.py).
"""

from __future__ import annotations

import argparse
import os
import re

from bot.web.server import PagesConfig, run

ORIGIN = re.compile(r"https?://[^/\s,]+")


def origins(text: str) -> tuple[str, ...]:
    """Comma-separated origins, each scheme://host[:port] (a trailing slash is dropped)."""
    found = tuple(part.strip().rstrip("/") for part in text.split(",") if part.strip())
    wrong = [origin for origin in found if not ORIGIN.fullmatch(origin)]
    if wrong:
        raise argparse.ArgumentTypeError(f"not an origin (scheme://host[:port]): {', '.join(wrong)}")
    return found


def main(argv: list[str] | None = None) -> None:
    env = os.environ
    parser = argparse.ArgumentParser(
        prog="python -m bot.web", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=int(env.get("YIBAO_PAGES_PORT", 8000)))
    parser.add_argument("--host", default=env.get("YIBAO_PAGES_HOST", "0.0.0.0"))
    parser.add_argument("--rasa-port", type=int, default=int(env.get("YIBAO_RASA_PORT", 5005)))
    parser.add_argument("--rasa-public-url", default=env.get("YIBAO_RASA_PUBLIC_URL"))
    parser.add_argument("--allowed-origins", type=origins, default=env.get("YIBAO_ALLOWED_ORIGINS", ""))
    args = parser.parse_args(argv)
    run(
        PagesConfig(
            port=args.port,
            host=args.host,
            rasa_port=args.rasa_port,
            rasa_public_url=args.rasa_public_url,
            allowed_origins=args.allowed_origins,
        )
    )


if __name__ == "__main__":
    main()
