"""Personalize provisioning: access checks (moto IAM/S3), the create and delete sequences
(Stubber, so every request is checked against the service model), schemas against moto."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from taglines import ProvisioningError, Settings
from taglines.provision import (
    access_policies,
    check_access,
    create_personalize_recommender,
    teardown,
)
from taglines.provision.names import TOP_PICKS_RECIPE, names_for
from taglines.provision.personalize import delete_schemas, ensure_schemas
from tests.conftest import MOVIES, REGION

BUCKET = "taglines-workshop-data"
ROLE_NAME = "taglines-personalize"
ROLE_ARN = f"arn:aws:iam::123456789012:role/{ROLE_NAME}"
ACCOUNT = "arn:aws:personalize:us-east-1:123456789012"
GROUP = f"{ACCOUNT}:dataset-group/taglines-movies"
REC = f"{ACCOUNT}:recommender/taglines-top-picks"
TAGS = [
    {"tagKey": "created-by", "tagValue": "taglines"},
    {"tagKey": "taglines:prefix", "tagValue": "taglines"},
]
KINDS = ("interactions", "items", "users")
TYPES = {"interactions": "Interactions", "items": "Items", "users": "Users"}


def schema_arn(kind):
    return f"{ACCOUNT}:schema/taglines-movies-{kind}"


def dataset_arn(kind):
    return f"{ACCOUNT}:dataset/taglines-movies/{TYPES[kind].upper()}"


def job_arn(kind, attempt=""):
    return f"{ACCOUNT}:dataset-import-job/taglines-movies-{kind}-import{attempt}"


@pytest.fixture
def aws():
    """moto S3 + IAM with the bucket, bucket policy and role Personalize needs."""
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        iam = boto3.client("iam", region_name=REGION)
        policies = access_policies(BUCKET)
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policies["bucket_policy"]))
        iam.create_role(
            RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(policies["role_trust_policy"])
        )
        yield s3, iam


@pytest.fixture
def settings():
    return Settings(region=REGION, bucket=BUCKET, personalize_role_arn=ROLE_ARN)


@pytest.fixture
def personalize():
    client = boto3.client("personalize", region_name=REGION)
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def _describe(stub, operation, key, arn_param, arn, *statuses, reason=None):
    for status in statuses:
        body = {arn_param: arn, "status": status}
        if reason and status == "CREATE FAILED":
            body["failureReason"] = reason
        stub.add_response(operation, {key: body}, expected_params={arn_param: arn})


def queue_create(stub, *, existing=False, fail_recommender=None):
    """The full create sequence, or (existing=True) the lookups of a rerun that finds it all."""
    if existing:
        stub.add_response(
            "list_schemas",
            {
                "schemas": [
                    {"name": f"taglines-movies-{k}", "schemaArn": schema_arn(k)} for k in KINDS
                ]
            },
            expected_params={},
        )
    else:
        stub.add_response("list_schemas", {"schemas": []}, expected_params={})
        for kind in KINDS:
            schema = (MOVIES / "schemas" / f"{kind}.json").read_text()
            stub.add_response(
                "create_schema",
                {"schemaArn": schema_arn(kind)},
                expected_params={
                    "name": f"taglines-movies-{kind}",
                    "schema": schema,
                    "domain": "VIDEO_ON_DEMAND",
                },
            )
    if existing:
        stub.add_response(
            "list_dataset_groups",
            {"datasetGroups": [{"name": "taglines-movies", "datasetGroupArn": GROUP}]},
            expected_params={},
        )
        _describe(
            stub, "describe_dataset_group", "datasetGroup", "datasetGroupArn", GROUP, "ACTIVE"
        )
    else:
        # Paginated listing: another team's group on page one, nothing of ours.
        stub.add_response(
            "list_dataset_groups",
            {
                "datasetGroups": [
                    {"name": "other", "datasetGroupArn": f"{ACCOUNT}:dataset-group/other"}
                ],
                "nextToken": "p2",
            },
            expected_params={},
        )
        stub.add_response(
            "list_dataset_groups", {"datasetGroups": []}, expected_params={"nextToken": "p2"}
        )
        stub.add_response(
            "create_dataset_group",
            {"datasetGroupArn": GROUP, "domain": "VIDEO_ON_DEMAND"},
            expected_params={"name": "taglines-movies", "domain": "VIDEO_ON_DEMAND", "tags": TAGS},
        )
        _describe(
            stub,
            "describe_dataset_group",
            "datasetGroup",
            "datasetGroupArn",
            GROUP,
            "CREATE PENDING",
            "CREATE IN_PROGRESS",
            "ACTIVE",
        )
    listed = (
        [
            {
                "name": f"taglines-movies-{k}",
                "datasetArn": dataset_arn(k),
                "datasetType": TYPES[k].upper(),
            }
            for k in KINDS
        ]
        if existing
        else []
    )
    stub.add_response(
        "list_datasets", {"datasets": listed}, expected_params={"datasetGroupArn": GROUP}
    )
    for kind in KINDS:
        if not existing:
            stub.add_response(
                "create_dataset",
                {"datasetArn": dataset_arn(kind)},
                expected_params={
                    "name": f"taglines-movies-{kind}",
                    "schemaArn": schema_arn(kind),
                    "datasetGroupArn": GROUP,
                    "datasetType": TYPES[kind],
                    "tags": TAGS,
                },
            )
        _describe(
            stub,
            "describe_dataset",
            "dataset",
            "datasetArn",
            dataset_arn(kind),
            *(["ACTIVE"] if existing else ["CREATE PENDING", "ACTIVE"]),
        )
    for kind in KINDS:
        jobs = (
            [
                {
                    "jobName": f"taglines-movies-{kind}-import",
                    "datasetImportJobArn": job_arn(kind),
                    "status": "ACTIVE",
                }
            ]
            if existing
            else []
        )
        stub.add_response(
            "list_dataset_import_jobs",
            {"datasetImportJobs": jobs},
            expected_params={"datasetArn": dataset_arn(kind)},
        )
        if not existing:
            stub.add_response(
                "create_dataset_import_job",
                {"datasetImportJobArn": job_arn(kind)},
                expected_params={
                    "jobName": f"taglines-movies-{kind}-import",
                    "datasetArn": dataset_arn(kind),
                    "dataSource": {"dataLocation": f"s3://{BUCKET}/taglines/movies/{kind}.csv"},
                    "roleArn": ROLE_ARN,
                    "importMode": "FULL",
                    "tags": TAGS,
                },
            )
    if not existing:
        for kind in KINDS:
            _describe(
                stub,
                "describe_dataset_import_job",
                "datasetImportJob",
                "datasetImportJobArn",
                job_arn(kind),
                "CREATE IN_PROGRESS",
                "ACTIVE",
            )
    recs = (
        [{"name": "taglines-top-picks", "recommenderArn": REC, "status": "ACTIVE"}]
        if existing
        else []
    )
    stub.add_response(
        "list_recommenders", {"recommenders": recs}, expected_params={"datasetGroupArn": GROUP}
    )
    if existing:
        _describe(stub, "describe_recommender", "recommender", "recommenderArn", REC, "ACTIVE")
        return
    stub.add_response(
        "create_recommender",
        {"recommenderArn": REC},
        expected_params={
            "name": "taglines-top-picks",
            "datasetGroupArn": GROUP,
            "recipeArn": TOP_PICKS_RECIPE,
            "recommenderConfig": {"minRecommendationRequestsPerSecond": 1},
            "tags": TAGS,
        },
    )
    final = "CREATE FAILED" if fail_recommender else "ACTIVE"
    _describe(
        stub,
        "describe_recommender",
        "recommender",
        "recommenderArn",
        REC,
        "CREATE PENDING",
        "CREATE IN_PROGRESS",
        final,
        reason=fail_recommender,
    )


def _create(settings, client, aws, **kwargs):
    s3, iam = aws
    lines = []
    arn = create_personalize_recommender(
        settings,
        personalize=client,
        s3=s3,
        iam=iam,
        poll=60,
        sleep=lambda s: None,
        progress=lines.append,
        **kwargs,
    )
    return arn, lines


def test_whole_create_sequence(settings, personalize, aws):
    client, stub = personalize
    queue_create(stub)
    arn, lines = _create(settings, client, aws)
    assert arn == REC
    s3 = aws[0]
    for kind in KINDS:
        body = s3.get_object(Bucket=BUCKET, Key=f"taglines/movies/{kind}.csv")["Body"].read()
        assert body == (MOVIES / f"{kind}.csv").read_bytes()
    text = "\n".join(lines)
    assert (
        "dataset group taglines-movies: CREATE PENDING" in text
        and "recommender taglines-top-picks: ACTIVE" in text
    )
    assert f"TAGLINES_RECOMMENDER_ARN={REC}" in lines[-1]


def test_rerun_finds_everything_and_creates_nothing(settings, personalize, aws):
    client, stub = personalize
    queue_create(stub, existing=True)  # any create_* call would fail: none is queued
    arn, lines = _create(settings, client, aws)
    assert arn == REC
    assert any("already imported" in line for line in lines)


def test_create_failed_reports_the_reason(settings, personalize, aws):
    client, stub = personalize
    queue_create(
        stub, fail_recommender="Insufficient data: at least 1000 interactions are required"
    )
    with pytest.raises(
        ProvisioningError,
        match="recommender taglines-top-picks is CREATE FAILED: Insufficient data.*teardown",
    ):
        _create(settings, client, aws)


def test_a_failed_import_is_retried_under_a_new_name(settings, personalize, aws):
    """After an interrupted run whose import failed, the rerun starts `…-import-2`, nothing else."""
    client, stub = personalize
    stub.add_response(
        "list_schemas",
        {"schemas": [{"name": f"taglines-movies-{k}", "schemaArn": schema_arn(k)} for k in KINDS]},
    )
    stub.add_response(
        "list_dataset_groups",
        {"datasetGroups": [{"name": "taglines-movies", "datasetGroupArn": GROUP}]},
    )
    _describe(stub, "describe_dataset_group", "datasetGroup", "datasetGroupArn", GROUP, "ACTIVE")
    stub.add_response(
        "list_datasets",
        {
            "datasets": [
                {
                    "name": f"taglines-movies-{k}",
                    "datasetArn": dataset_arn(k),
                    "datasetType": TYPES[k].upper(),
                }
                for k in KINDS
            ]
        },
    )
    for kind in KINDS:
        _describe(stub, "describe_dataset", "dataset", "datasetArn", dataset_arn(kind), "ACTIVE")
    for kind in KINDS:
        status = "CREATE FAILED" if kind == "items" else "ACTIVE"
        stub.add_response(
            "list_dataset_import_jobs",
            {
                "datasetImportJobs": [
                    {
                        "jobName": f"taglines-movies-{kind}-import",
                        "datasetImportJobArn": job_arn(kind),
                        "status": status,
                    }
                ]
            },
        )
        if kind == "items":
            stub.add_response(
                "create_dataset_import_job",
                {"datasetImportJobArn": job_arn(kind, "-2")},
                expected_params={
                    "jobName": "taglines-movies-items-import-2",
                    "datasetArn": dataset_arn(kind),
                    "dataSource": ANY,
                    "roleArn": ROLE_ARN,
                    "importMode": "FULL",
                    "tags": TAGS,
                },
            )
    _describe(
        stub,
        "describe_dataset_import_job",
        "datasetImportJob",
        "datasetImportJobArn",
        job_arn("items", "-2"),
        "ACTIVE",
    )
    stub.add_response(
        "list_recommenders",
        {"recommenders": [{"name": "taglines-top-picks", "recommenderArn": REC}]},
    )
    _describe(stub, "describe_recommender", "recommender", "recommenderArn", REC, "ACTIVE")
    assert _create(settings, client, aws)[0] == REC


def test_missing_access_is_reported_before_anything_is_created(personalize):
    client, _ = personalize  # nothing queued: a single Personalize call would fail the test
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        iam = boto3.client("iam", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        iam.create_role(
            RoleName=ROLE_NAME,
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "ec2.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )
        settings = Settings(region=REGION, bucket=BUCKET, personalize_role_arn=ROLE_ARN)
        with pytest.raises(ProvisioningError) as info:
            create_personalize_recommender(settings, personalize=client, s3=s3, iam=iam)
        message = str(info.value)
        assert f"role {ROLE_ARN} does not trust personalize.amazonaws.com" in message
        assert f"bucket {BUCKET} has no policy letting personalize.amazonaws.com read it" in message
        assert '"s3:GetObject"' in message  # the policy to add is in the message
        assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0  # nothing uploaded


@pytest.mark.parametrize(
    ("settings_kwargs", "needle"),
    [
        ({"bucket": None}, "set TAGLINES_BUCKET"),
        ({"bucket": "no-such-bucket"}, "bucket no-such-bucket does not exist"),
        ({"personalize_role_arn": None}, "set TAGLINES_PERSONALIZE_ROLE_ARN"),
        (
            {"personalize_role_arn": "arn:aws:iam::123456789012:role/missing"},
            "role arn:aws:iam::123456789012:role/missing not found",
        ),
    ],
)
def test_check_access_names_each_problem(aws, settings_kwargs, needle):
    s3, iam = aws
    settings = Settings(
        region=REGION, **{"bucket": BUCKET, "personalize_role_arn": ROLE_ARN, **settings_kwargs}
    )
    problems = check_access(settings, s3=s3, iam=iam)
    assert any(needle in p for p in problems), problems


def test_check_access_passes_when_all_is_in_place(settings, aws):
    assert check_access(settings, s3=aws[0], iam=aws[1]) == []


# -- teardown ---------------------------------------------------------------------------------


def _not_found(stub, operation, arn_param, arn):
    stub.add_client_error(
        operation,
        "ResourceNotFoundException",
        f"{arn} does not exist",
        404,
        expected_params={arn_param: arn},
    )


def queue_teardown(stub, *, foreign_filter=False, import_running=False):
    stub.add_response(
        "list_dataset_groups",
        {"datasetGroups": [{"name": "taglines-movies", "datasetGroupArn": GROUP}]},
        expected_params={},
    )
    stub.add_response(
        "list_tags_for_resource", {"tags": TAGS}, expected_params={"resourceArn": GROUP}
    )
    stub.add_response(
        "list_recommenders",
        {
            "recommenders": [
                {"name": "taglines-top-picks", "recommenderArn": REC, "status": "ACTIVE"}
            ]
        },
        expected_params={"datasetGroupArn": GROUP},
    )
    stub.add_response(
        "list_tags_for_resource", {"tags": TAGS}, expected_params={"resourceArn": REC}
    )
    stub.add_response("delete_recommender", {}, expected_params={"recommenderArn": REC})
    _describe(
        stub, "describe_recommender", "recommender", "recommenderArn", REC, "DELETE IN_PROGRESS"
    )
    _not_found(stub, "describe_recommender", "recommenderArn", REC)
    filters = (
        [{"name": "their-filter", "filterArn": f"{ACCOUNT}:filter/their-filter"}]
        if foreign_filter
        else []
    )
    stub.add_response(
        "list_filters", {"Filters": filters}, expected_params={"datasetGroupArn": GROUP}
    )
    stub.add_response(
        "list_event_trackers", {"eventTrackers": []}, expected_params={"datasetGroupArn": GROUP}
    )
    stub.add_response(
        "list_solutions", {"solutions": []}, expected_params={"datasetGroupArn": GROUP}
    )
    stub.add_response(
        "list_recommenders", {"recommenders": []}, expected_params={"datasetGroupArn": GROUP}
    )
    if foreign_filter:
        return
    stub.add_response(
        "list_datasets",
        {
            "datasets": [
                {"name": f"taglines-movies-{k}", "datasetArn": dataset_arn(k)} for k in KINDS
            ]
        },
        expected_params={"datasetGroupArn": GROUP},
    )
    for kind in KINDS:
        running = import_running and kind == "interactions"
        jobs = [
            {
                "jobName": f"taglines-movies-{kind}-import",
                "datasetImportJobArn": job_arn(kind),
                "status": "CREATE IN_PROGRESS" if running else "ACTIVE",
            }
        ]
        stub.add_response(
            "list_dataset_import_jobs",
            {"datasetImportJobs": jobs},
            expected_params={"datasetArn": dataset_arn(kind)},
        )
        if running:
            _describe(
                stub,
                "describe_dataset_import_job",
                "datasetImportJob",
                "datasetImportJobArn",
                job_arn(kind),
                "CREATE IN_PROGRESS",
                "ACTIVE",
            )
        stub.add_response("delete_dataset", {}, expected_params={"datasetArn": dataset_arn(kind)})
        _not_found(stub, "describe_dataset", "datasetArn", dataset_arn(kind))
    stub.add_response("delete_dataset_group", {}, expected_params={"datasetGroupArn": GROUP})
    _describe(
        stub, "describe_dataset_group", "datasetGroup", "datasetGroupArn", GROUP, "DELETE PENDING"
    )
    _not_found(stub, "describe_dataset_group", "datasetGroupArn", GROUP)
    stub.add_response(
        "list_schemas",
        {"schemas": [{"name": f"taglines-movies-{k}", "schemaArn": schema_arn(k)} for k in KINDS]},
        expected_params={},
    )
    for kind in KINDS:
        stub.add_response("delete_schema", {}, expected_params={"schemaArn": schema_arn(kind)})


def _teardown(settings, client, s3):
    return teardown(
        settings, only="personalize", personalize=client, s3=s3, poll=0, sleep=lambda s: None
    )


def test_teardown_in_personalize_order_and_removes_uploads(settings, personalize, aws):
    client, stub = personalize
    s3 = aws[0]
    for kind in KINDS:
        s3.put_object(Bucket=BUCKET, Key=f"taglines/movies/{kind}.csv", Body=b"x")
    s3.put_object(Bucket=BUCKET, Key="taglines/movies/notes.txt", Body=b"mine, not taglines'")
    queue_teardown(stub, import_running=True)
    report = _teardown(settings, client, s3)
    assert report.deleted[:5] == [
        "recommender taglines-top-picks",
        "dataset taglines-movies-interactions",
        "dataset taglines-movies-items",
        "dataset taglines-movies-users",
        "dataset group taglines-movies",
    ]
    assert report.deleted[5:8] == [f"schema taglines-movies-{k}" for k in KINDS]
    assert [k["Key"] for k in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == [
        "taglines/movies/notes.txt"
    ]


def test_teardown_when_half_is_already_gone(settings, personalize, aws):
    client, stub = personalize
    stub.add_response("list_dataset_groups", {"datasetGroups": []})
    listed = [
        {"name": f"taglines-movies-{k}", "schemaArn": schema_arn(k)} for k in ("items", "users")
    ]
    stub.add_response("list_schemas", {"schemas": listed})
    stub.add_client_error(
        "delete_schema",
        "ResourceInUseException",
        "used by a dataset",
        400,
        expected_params={"schemaArn": schema_arn("items")},
    )
    stub.add_response("delete_schema", {}, expected_params={"schemaArn": schema_arn("users")})
    report = _teardown(settings, client, aws[0])
    assert report.deleted == ["schema taglines-movies-users"]
    assert "dataset group taglines-movies" in report.missing
    assert "schema taglines-movies-interactions" in report.missing
    assert report.skipped == ["schema taglines-movies-items (still used by a dataset)"]
    assert f"s3://{BUCKET}/taglines/movies/users.csv" in report.missing


def test_teardown_leaves_a_group_holding_foreign_resources(settings, personalize, aws):
    client, stub = personalize
    queue_teardown(stub, foreign_filter=True)  # stops there: no dataset, group or schema call
    report = _teardown(settings, client, aws[0])
    assert report.deleted == ["recommender taglines-top-picks"]
    assert any("filter their-filter" in s and "delete those yourself" in s for s in report.skipped)


def test_teardown_never_touches_an_untagged_group(settings, personalize, aws):
    client, stub = personalize
    stub.add_response(
        "list_dataset_groups",
        {"datasetGroups": [{"name": "taglines-movies", "datasetGroupArn": GROUP}]},
    )
    stub.add_response("list_tags_for_resource", {"tags": [{"tagKey": "team", "tagValue": "data"}]})
    stub.add_response("list_schemas", {"schemas": []})
    report = _teardown(settings, client, aws[0])
    assert report.deleted == []
    assert report.skipped == [
        "dataset group taglines-movies (no created-by=taglines tag; left alone)"
    ]


def test_schemas_against_moto():
    """Schema creation is idempotent and deletion tolerant, against moto's Personalize."""
    with mock_aws():
        client = boto3.client("personalize", region_name=REGION)
        names = names_for(Settings(region=REGION))
        first = ensure_schemas(client, names, MOVIES / "schemas")
        assert set(first) == set(KINDS)
        assert ensure_schemas(client, names, MOVIES / "schemas") == first
        assert len(client.list_schemas()["schemas"]) == 3

        class Report:
            deleted, missing, skipped = [], [], []

        delete_schemas(client, names, Report)
        assert client.list_schemas()["schemas"] == [] and len(Report.deleted) == 3
        delete_schemas(client, names, Report)
        assert len(Report.missing) == 3
