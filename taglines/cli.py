"""Command line: ``python -m taglines recommend|evaluate …``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import Settings
from .errors import ConfigError, TaglinesError


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(data_uri=getattr(args, "data", None))


def _catalog(settings: Settings):
    from .storage import load_catalog

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


def sample_users(catalog, count: int) -> list[str]:
    """``count`` users with different favourite genres (so the demo shows personalization)."""
    chosen: dict[str, str] = {}
    for user_id in catalog.users["USER_ID"]:
        favorite = catalog.user(user_id).favorite_genres[:1]
        key = favorite[0] if favorite else user_id
        if key not in chosen:
            chosen[key] = user_id
        if len(chosen) == count:
            break
    return list(chosen.values())


def _pipeline(args: argparse.Namespace):
    from .pipeline import build_pipeline

    settings = _settings(args)
    return build_pipeline(
        settings,
        concurrency=getattr(args, "concurrency", 8) or 8,
        text_concurrency=getattr(args, "text_concurrency", None),
        image_concurrency=getattr(args, "image_concurrency", None),
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from .batch import read_results
    from .poster import contact_sheet

    pipeline = _pipeline(args)
    _out(str(pipeline))
    users = sample_users(pipeline.catalog, args.users)
    report = pipeline.run_batch(users, args.out, n=args.n, resume=False, progress=not args.quiet)
    rows = [r for r in read_results(args.out) if r["user_id"] in users]
    if rows:
        from PIL import Image

        posters = [Image.open(Path(args.out) / r["poster"]) for r in rows]
        sheet = contact_sheet(posters, columns=args.n)
        sheet_path = Path(args.out) / "contact_sheet.png"
        from .batch import save_png

        save_png(sheet, sheet_path)
    _out()
    for r in rows:
        likes = ", ".join(pipeline.catalog.user(r["user_id"]).favorite_genres)
        _out(f"{r['user_id']} (likes {likes}) · {r['title']} [{r['facet']}]: {r['tagline']}")
    _out()
    _out(str(report))
    if rows:
        _out(f"contact sheet: {sheet_path}")
    return 0 if report.failed == 0 else 1


def cmd_batch(args: argparse.Namespace) -> int:
    pipeline = _pipeline(args)
    if args.users == "all":
        users = list(pipeline.catalog.users["USER_ID"])
    else:
        path = Path(args.users)
        if not path.is_file():
            raise ConfigError(
                f"--users {args.users}: not a file; give a file with one user id per line, or 'all'"
            )
        users = [
            line.strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    _out(str(pipeline))
    report = pipeline.run_batch(
        users,
        args.out,
        n=args.n,
        concurrency=args.concurrency,
        resume=not args.restart,
        progress=not args.quiet,
    )
    _out(str(report))
    return 0 if report.failed == 0 else 1


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

    p = sub.add_parser("demo", help="posters and taglines for a few sample users, end to end")
    p.add_argument("--out", default="taglines-demo", help="output folder (default taglines-demo)")
    p.add_argument("--users", type=int, default=4, help="how many sample users (default 4)")
    p.add_argument("--n", type=int, default=3, help="movies per user (default 3)")
    p.add_argument("--data", help="data folder or s3://bucket/prefix (default: data/movies)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("batch", help="posters for many users; resumable (rerun to finish)")
    p.add_argument("--users", required=True, help="a file with one user id per line, or 'all'")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--n", type=int, default=3, help="movies per user (default 3)")
    p.add_argument(
        "--concurrency", type=int, default=8, help="users and calls in flight (default 8)"
    )
    p.add_argument(
        "--text-concurrency",
        type=int,
        help="text calls in flight at most (the text endpoint's capacity)",
    )
    p.add_argument(
        "--image-concurrency",
        type=int,
        help="image calls in flight at most (the image endpoint's capacity)",
    )
    p.add_argument("--restart", action="store_true", help="start over instead of resuming")
    p.add_argument("--data", help="data folder or s3://bucket/prefix (default: data/movies)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_batch)

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
