"""Reading and writing the dataset files: a local folder or ``s3://bucket/prefix`` (no s3fs)."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from .data import FILES, Catalog
from .errors import DataError

log = logging.getLogger(__name__)


def _read_csv(data: bytes | Path, where: str) -> pd.DataFrame:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        # Everything as text first so ids like "007" survive; numbers are converted on purpose.
        return pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError as exc:
        raise DataError(f"{where}: the file is empty; it needs a header row and data") from exc
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{where}: not a readable UTF-8 CSV file ({exc})") from exc


def _read_local(folder: Path) -> dict[str, pd.DataFrame]:
    if not folder.is_dir():
        raise DataError(
            f"data folder {folder} not found: point TAGLINES_DATA_URI (or --data) at a folder "
            f"with {', '.join(FILES)}, or at s3://bucket/prefix"
        )
    frames = {}
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise DataError(
                f"{path} not found: the data folder needs {', '.join(FILES)} "
                "(regenerate the sample with `python data/generate.py`)"
            )
        frames[name] = _read_csv(path, str(path))
    return frames


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """Split ``s3://bucket/prefix`` into bucket and prefix (without trailing slash)."""
    if not uri.startswith("s3://") or len(uri) <= 5:
        raise DataError(f"{uri!r} is not an s3:// URI; use s3://bucket/prefix")
    bucket, _, prefix = uri[5:].partition("/")
    if not bucket:
        raise DataError(f"{uri!r} has no bucket name; use s3://bucket/prefix")
    return bucket, prefix.strip("/")


def _s3_error(exc: Exception, bucket: str, prefix: str) -> DataError:
    from botocore.exceptions import ClientError, NoCredentialsError

    where = f"s3://{bucket}/{prefix}"
    if isinstance(exc, NoCredentialsError):
        return DataError(
            f"no AWS credentials to read {where}: configure credentials (aws configure, "
            "AWS_PROFILE) or point TAGLINES_DATA_URI at a local folder"
        )
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "NoSuchBucket":
            return DataError(
                f"bucket {bucket!r} does not exist: check TAGLINES_DATA_URI ({where}), or create "
                "the bucket and upload the data with "
                f"taglines.upload_dataset('data/movies', '{where}')"
            )
        if code in ("AccessDenied", "403", "AllAccessDisabled"):
            return DataError(
                f"access denied to {where}: the role needs s3:ListBucket on {bucket} and "
                f"s3:GetObject on {where}/*"
            )
        return DataError(
            f"reading {where} failed ({code or exc}); check the URI, your credentials and the "
            "region, or point TAGLINES_DATA_URI at a local folder"
        )
    return DataError(
        f"reading {where} failed ({exc}); check network access to S3, or point "
        "TAGLINES_DATA_URI at a local folder"
    )


def missing_files(uri: str, *, s3_client: Any) -> tuple[list[str], int]:
    """Which of the dataset's CSVs are not under ``s3://bucket/prefix``, and how many objects are.

    Lists the prefix page by page (any number of keys).
    """
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, prefix = parse_s3_uri(uri)
    base = f"{prefix}/" if prefix else ""
    wanted = {f"{base}{name}": name for name in FILES}
    found: set[str] = set()
    listed = 0
    try:
        paginator = s3_client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=base):
            for obj in page.get("Contents", []):
                listed += 1
                if obj["Key"] in wanted:
                    found.add(obj["Key"])
    except (ClientError, BotoCoreError) as exc:
        raise _s3_error(exc, bucket, prefix) from exc
    return [name for key, name in wanted.items() if key not in found], listed


def _read_s3(uri: str, client: Any, fill_from: Path | None) -> dict[str, pd.DataFrame]:
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, prefix = parse_s3_uri(uri)
    base = f"{prefix}/" if prefix else ""
    wanted = {f"{base}{name}": name for name in FILES}
    missing, listed = missing_files(uri, s3_client=client)
    if missing and fill_from is not None:
        written = _upload(Path(fill_from), bucket, prefix, missing, client)
        log.info("uploaded %s to s3://%s/%s", ", ".join(written), bucket, base)
        missing = []
    if missing:
        raise DataError(
            f"s3://{bucket}/{base} is missing {', '.join(missing)} ({listed} object(s) under the "
            "prefix); upload the dataset with taglines.upload_dataset('data/movies', "
            f"'s3://{bucket}/{prefix}')"
        )
    frames = {}
    for key, name in wanted.items():
        try:
            body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except (ClientError, BotoCoreError) as exc:
            raise _s3_error(exc, bucket, prefix) from exc
        frames[name] = _read_csv(body, f"s3://{bucket}/{key}")
    return frames


def load_catalog(
    uri: str | Path, *, s3_client: Any = None, upload_missing_from: str | Path | None = None
) -> Catalog:
    """Load and validate users.csv, items.csv and interactions.csv.

    Args:
        uri: a local folder, or ``s3://bucket/prefix`` (read with ``get_object``; no s3fs).
        s3_client: boto3 S3 client for ``s3://`` URIs; one is built from the default chain
            when omitted.
        upload_missing_from: for ``s3://``, a local dataset folder whose files are uploaded
            first when the prefix lacks them (the prefix is listed once either way).

    Returns:
        The validated :class:`Catalog`.

    Raises:
        DataError: naming the file and the problem (missing file or column, duplicate ids,
            bad timestamps, empty files, S3 access).

    Example:
        >>> catalog = load_catalog("data/movies")  # doctest: +SKIP
        >>> len(catalog.users) > 0  # doctest: +SKIP
        True
    """
    uri = str(uri)
    if uri.startswith("s3://"):
        if s3_client is None:
            from .aws import make_client

            s3_client = make_client("s3")
        frames = _read_s3(
            uri, s3_client, Path(upload_missing_from) if upload_missing_from else None
        )
        source = uri.rstrip("/")
    else:
        frames = _read_local(Path(uri).expanduser())
        source = str(Path(uri).expanduser())
    return Catalog(
        frames["users.csv"], frames["items.csv"], frames["interactions.csv"], source=source
    )


def upload_dataset(
    folder: str | Path, uri: str, *, s3_client: Any, overwrite: bool = False
) -> list[str]:
    """Upload a dataset folder's CSVs (and schemas) to ``s3://bucket/prefix``.

    Existing objects are kept unless ``overwrite``; returns the keys written.

    Example:
        >>> upload_dataset("data/movies", "s3://my-bucket/taglines", s3_client=s3)  # doctest: +SKIP
        ['taglines/users.csv', 'taglines/items.csv', 'taglines/interactions.csv']
    """
    folder = Path(folder)
    bucket, prefix = parse_s3_uri(uri)
    names = list(FILES) if overwrite else missing_files(uri, s3_client=s3_client)[0]
    for name in sorted(set(FILES) - set(names)):
        log.info("s3://%s/%s exists; kept", bucket, f"{prefix}/{name}" if prefix else name)
    return _upload(folder, bucket, prefix, names, s3_client)


def _upload(folder: Path, bucket: str, prefix: str, names: list[str], client: Any) -> list[str]:
    from botocore.exceptions import BotoCoreError, ClientError

    base = f"{prefix}/" if prefix else ""
    written = []
    for name in [n for n in FILES if n in names]:
        path = folder / name
        if not path.is_file():
            raise DataError(
                f"{path} not found: nothing to upload; regenerate it with `python data/generate.py`"
            )
        key = f"{base}{name}"
        try:
            client.upload_file(str(path), bucket, key)
        except (ClientError, BotoCoreError) as exc:
            raise _s3_error(exc, bucket, prefix) from exc
        written.append(key)
    return written
