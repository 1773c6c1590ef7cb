"""load_catalog and upload_dataset against S3 (moto), including a paginated listing."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from taglines import DataError, load_catalog, upload_dataset
from tests.conftest import MOVIES, REGION
from tests.helpers import INTERACTIONS, ITEMS, USERS

BUCKET = "taglines-test-data"


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(Bucket=BUCKET)
        yield client


def _put(s3, prefix, users=USERS, items=ITEMS, interactions=INTERACTIONS):
    for name, text in (
        ("users.csv", users),
        ("items.csv", items),
        ("interactions.csv", interactions),
    ):
        if text is not None:
            s3.put_object(Bucket=BUCKET, Key=f"{prefix}/{name}", Body=text.encode())


def test_loads_from_s3_and_matches_local(s3):
    upload_dataset(MOVIES, f"s3://{BUCKET}/movies", s3_client=s3)
    remote = load_catalog(f"s3://{BUCKET}/movies/", s3_client=s3)
    local = load_catalog(MOVIES)
    assert remote.source == f"s3://{BUCKET}/movies"
    assert remote.users.equals(local.users)
    assert remote.items.equals(local.items)
    assert remote.interactions.equals(local.interactions)


def test_finds_files_beyond_the_first_page_of_a_large_prefix(s3):
    for i in range(1100):  # keys sorting before the CSVs push them onto the second page
        s3.put_object(Bucket=BUCKET, Key=f"big/{i:05d}.json", Body=b"{}")
    _put(s3, "big")
    pages = []
    s3.meta.events.register("before-call.s3.ListObjectsV2", lambda **kw: pages.append(kw["params"]))
    catalog = load_catalog(f"s3://{BUCKET}/big", s3_client=s3)
    assert len(catalog.items) == 4
    assert len(pages) == 2


def test_bucket_root_prefix(s3):
    for name, text in (
        ("users.csv", USERS),
        ("items.csv", ITEMS),
        ("interactions.csv", INTERACTIONS),
    ):
        s3.put_object(Bucket=BUCKET, Key=name, Body=text.encode())
    assert len(load_catalog(f"s3://{BUCKET}", s3_client=s3).users) == 3


def test_missing_file_names_it_and_the_fix(s3):
    _put(s3, "partial", items=None)
    with pytest.raises(
        DataError, match=r"s3://taglines-test-data/partial/ is missing items.csv \(2 object"
    ):
        load_catalog(f"s3://{BUCKET}/partial", s3_client=s3)


def test_missing_bucket(s3):
    with pytest.raises(DataError, match="bucket 'nope-bucket' does not exist.*TAGLINES_DATA_URI"):
        load_catalog("s3://nope-bucket/movies", s3_client=s3)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"users": ""}, r"s3://taglines-test-data/bad/users.csv: the file is empty"),
        (
            {"items": ITEMS.replace("TITLE", "NAME")},
            "bad/items.csv: missing required column.*TITLE",
        ),
        ({"users": USERS + "u1,x,Drama,\n"}, "bad/users.csv: duplicate USER_ID"),
        (
            {"interactions": INTERACTIONS + "u1,m2,soon,Watch\n"},
            "bad/interactions.csv: column TIMESTAMP",
        ),
    ],
)
def test_bad_objects_are_data_errors_naming_the_object(s3, change, needle):
    _put(s3, "bad", **change)
    with pytest.raises(DataError, match=needle):
        load_catalog(f"s3://{BUCKET}/bad", s3_client=s3)


def test_access_denied_says_which_permissions():
    client = boto3.client("s3", region_name=REGION)
    with Stubber(client) as stub:
        stub.add_client_error(
            "list_objects_v2",
            "AccessDenied",
            "Access Denied",
            403,
            expected_params={"Bucket": "locked", "Prefix": "data/"},
        )
        with pytest.raises(DataError, match="access denied to s3://locked/data.*s3:ListBucket"):
            load_catalog("s3://locked/data", s3_client=client)


@pytest.mark.parametrize("uri", ["s3://", "s3:///prefix"])
def test_malformed_uri(uri):
    with pytest.raises(DataError, match="s3://bucket/prefix"):
        load_catalog(uri, s3_client=object())


def test_upload_keeps_existing_objects_unless_asked(s3):
    uri = f"s3://{BUCKET}/movies"
    assert upload_dataset(MOVIES, uri, s3_client=s3) == [
        "movies/users.csv",
        "movies/items.csv",
        "movies/interactions.csv",
    ]
    s3.put_object(Bucket=BUCKET, Key="movies/users.csv", Body=USERS.encode())
    assert upload_dataset(MOVIES, uri, s3_client=s3) == []
    body = s3.get_object(Bucket=BUCKET, Key="movies/users.csv")["Body"].read()
    assert body == USERS.encode()
    assert upload_dataset(MOVIES, uri, s3_client=s3, overwrite=True) == [
        "movies/users.csv",
        "movies/items.csv",
        "movies/interactions.csv",
    ]
    assert (
        s3.get_object(Bucket=BUCKET, Key="movies/users.csv")["Body"].read()
        == (MOVIES / "users.csv").read_bytes()
    )
