"""Command line: ``python -m taglines recommend|evaluate …``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .config import Settings
from .errors import TaglinesError


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(data_uri=getattr(args, "data", None))


def _catalog(settings: Settings):
    from .data import load_catalog

    s3 = settings.client("s3") if settings.data_uri.startswith("s3://") else None
    return load_catalog(settings.data_uri, s3_client=s3)


def cmd_recommend(args: argparse.Namespace) -> int:
    from .backends import build_recommender
    from .recommend import recommendations_frame

    settings = _settings(args)
    catalog = _catalog(settings)
    user = catalog.user(args.user)
    recommender = build_recommender(settings, catalog)
    table = recommendations_frame(recommender.recommend(user.user_id, n=args.n), catalog)
    _out(f"Top {args.n} for {user.user_id} ({recommender.name}, {settings.mode} mode)")
    _out(f"  likes: {', '.join(user.favorite_genres) or '-'}; {user.preferences or ''}")
    recent = catalog.history(user.user_id, n=3, distinct=True)
    _out(f"  recently: {'; '.join(recent[catalog.domain.title]) or '-'}")
    _out()
    _out(table.to_string(index=False))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .recommend import evaluate

    settings = _settings(args)
    catalog = _catalog(settings)
    _out(f"Leave-last-out evaluation on {catalog!r}")
    _out(evaluate(catalog, k=args.k).to_string(index=False))
    return 0


def cmd_provision(args: argparse.Namespace) -> int:
    from .provision import plan, provision

    settings = Settings.from_env()
    only = args.only or None
    options = {
        "text_instance_type": args.text_instance_type,
        "image_instance_type": args.image_instance_type,
    }
    print_plan = plan(settings, only=only, metadata=args.metadata, **options)
    _out(str(print_plan))
    if args.dry_run:
        return 0
    result = provision(settings, only=only, metadata=args.metadata, progress=_out, **options)
    _out("\nReady. Set these to use what was created:")
    for variable, value in result.items():
        _out(f"  export {variable}={value}")
    return 0


def cmd_teardown(args: argparse.Namespace) -> int:
    from .provision import teardown

    settings = Settings.from_env()
    report = teardown(settings, only=args.only or None, dry_run=args.dry_run, progress=_out)
    _out(str(report))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taglines",
        description="Personalized movie taglines and posters. Local mode unless AWS settings "
        "(TAGLINES_* environment variables) are present.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("recommend", help="recommended items for one user, as a table")
    p.add_argument("--user", required=True, help="user id, e.g. u0001")
    p.add_argument("--n", type=int, default=5, help="how many items (default 5)")
    p.add_argument("--data", help="data folder or s3://bucket/prefix (default: data/movies)")
    p.set_defaults(func=cmd_recommend)

    p = sub.add_parser("evaluate", help="leave-last-out HitRate@k: local recommender vs popularity")
    p.add_argument("--k", type=int, default=10, help="list length (default 10)")
    p.add_argument("--data", help="data folder or s3://bucket/prefix (default: data/movies)")
    p.set_defaults(func=cmd_evaluate)

    from .provision.names import FALCON_INSTANCE_TYPE, SD_INSTANCE_TYPE

    p = sub.add_parser(
        "provision",
        help="create the JumpStart endpoints and the Personalize recommender (costs money!)",
        description="Creates AWS resources that are billed per hour. Run with --dry-run first; "
        "delete everything with `python -m taglines teardown`.",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="print the plan and costs; create nothing"
    )
    p.add_argument(
        "--only",
        choices=["text", "image", "personalize"],
        action="append",
        help="one part (repeatable)",
    )
    p.add_argument("--text-instance-type", default=FALCON_INSTANCE_TYPE)
    p.add_argument("--image-instance-type", default=SD_INSTANCE_TYPE)
    p.add_argument(
        "--metadata", action="store_true", help="enable metadata in recommendations (extra cost)"
    )
    p.set_defaults(func=cmd_provision)

    p = sub.add_parser("teardown", help="delete everything taglines created (idempotent)")
    p.add_argument("--dry-run", action="store_true", help="list what would be deleted")
    p.add_argument("--only", choices=["text", "image", "personalize"], action="append")
    p.set_defaults(func=cmd_teardown)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for a taglines error)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args)
    except TaglinesError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
