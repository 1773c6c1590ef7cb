"""Amazon Personalize from the shipped data: checks, uploads, dataset group to recommender, teardown.

Every step looks for what already exists (by name) before creating anything, so a run that
was interrupted continues where it stopped. botocore has no Personalize waiters: statuses are
polled with a bounded wait.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..config import REPO_DATA, Settings
from ..errors import ConfigError, ProvisioningError
from .names import (
    DATASET_TYPES,
    TAG_KEY,
    TAG_VALUE,
    TOP_PICKS_RECIPE,
    VOD_DOMAIN,
    Names,
    names_for,
    personalize_tags,
)
from .wait import Progress, aws_step, say, wait_gone, wait_until

PERSONALIZE = "personalize.amazonaws.com"


def list_all(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item of a paginated Personalize ``list_*`` call."""
    token = None
    while True:
        page = getattr(client, operation)(**params, **({"nextToken": token} if token else {}))
        yield from page.get(key, [])
        token = page.get("nextToken")
        if not token:
            return


def _code(exc: Any) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def _describe(
    client: Any, operation: str, key: str, arn_param: str, arn: str
) -> dict[str, Any] | None:
    from botocore.exceptions import ClientError

    try:
        return getattr(client, operation)(**{arn_param: arn})[key]
    except ClientError as exc:
        if _code(exc) == "ResourceNotFoundException":
            return None
        raise


def _status_of(
    client: Any, operation: str, key: str, arn_param: str, arn: str
) -> Callable[[], tuple[str, str | None]]:
    def describe() -> tuple[str, str | None]:
        found = _describe(client, operation, key, arn_param, arn)
        if found is None:
            return "DELETED", f"{arn} no longer exists"
        return found.get("status", "UNKNOWN"), found.get("failureReason")

    return describe


# -- preconditions ----------------------------------------------------------------------------


def access_policies(bucket: str) -> dict[str, dict[str, Any]]:
    """The trust policy for the Personalize role and the bucket policy Personalize needs."""
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": PERSONALIZE},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
    }
    return {
        "role_trust_policy": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": PERSONALIZE},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
        "role_permissions": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:ListBucket"],
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                }
            ],
        },
        "bucket_policy": {
            "Version": "2012-10-17",
            "Statement": [{"Sid": "PersonalizeS3BucketAccess", **statement}],
        },
    }


def _policy(document: Any) -> dict[str, Any]:
    if isinstance(document, dict):
        return document
    text = urllib.parse.unquote(str(document))
    return json.loads(text)


def _statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    statements = policy.get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def _lists(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def _allows_service(statement: dict[str, Any], action: str) -> bool:
    principal = statement.get("Principal", {})
    services = _lists(principal.get("Service", [])) if isinstance(principal, dict) else []
    actions = _lists(statement.get("Action", []))
    return (
        statement.get("Effect") == "Allow"
        and PERSONALIZE in services
        and any(a in (action, "s3:*", "*", "sts:*") for a in actions)
    )


def check_access(settings: Settings, *, s3: Any, iam: Any) -> list[str]:
    """What is missing for Personalize to import from the bucket; empty when all is in place.

    Checks that the bucket exists, that the role in ``TAGLINES_PERSONALIZE_ROLE_ARN`` exists
    and trusts ``personalize.amazonaws.com``, and that the bucket policy lets Personalize read.
    """
    from botocore.exceptions import ClientError

    problems: list[str] = []
    bucket, role_arn = settings.bucket, settings.personalize_role_arn
    policies = access_policies(bucket or "<bucket>")
    if not bucket:
        problems.append(
            "no bucket: set TAGLINES_BUCKET to an S3 bucket in this region for the data"
        )
    else:
        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError:
            problems.append(
                f"bucket {bucket} does not exist or is not yours: create it (aws s3 mb s3://{bucket})"
            )
            bucket = None
    if not role_arn:
        problems.append(
            "no role for Personalize: set TAGLINES_PERSONALIZE_ROLE_ARN to a role with trust policy "
            f"{json.dumps(policies['role_trust_policy'])} and permissions {json.dumps(policies['role_permissions'])}"
        )
    else:
        role_name = role_arn.rsplit("/", 1)[-1]
        try:
            role = iam.get_role(RoleName=role_name)["Role"]
        except ClientError:
            problems.append(
                f"role {role_arn} not found: create it with trust policy {json.dumps(policies['role_trust_policy'])}"
            )
        else:
            trust = _policy(role.get("AssumeRolePolicyDocument", {}))
            if not any(_allows_service(s, "sts:AssumeRole") for s in _statements(trust)):
                problems.append(
                    f"role {role_arn} does not trust {PERSONALIZE}: set its trust policy to "
                    f"{json.dumps(policies['role_trust_policy'])}"
                )
    if bucket:
        try:
            policy = _policy(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        except ClientError as exc:
            if _code(exc) != "NoSuchBucketPolicy":
                raise
            policy = {}
        if not any(_allows_service(s, "s3:GetObject") for s in _statements(policy)):
            problems.append(
                f"bucket {bucket} has no policy letting {PERSONALIZE} read it: add "
                f"{json.dumps(policies['bucket_policy'])}"
            )
    return problems


# -- create -----------------------------------------------------------------------------------


def _find(items: Iterator[dict[str, Any]], name: str, arn_key: str) -> str | None:
    for item in items:
        if item.get("name") == name or item.get("jobName") == name:
            return item[arn_key]
    return None


def ensure_schemas(
    client: Any, names: Names, schema_dir: Path, *, progress: Progress | None = None
) -> dict[str, str]:
    """Create the three schemas from the shipped Avro files unless they exist; kind -> ARN."""
    existing = {s["name"]: s["schemaArn"] for s in list_all(client, "list_schemas", "schemas")}
    arns = {}
    for kind in DATASET_TYPES:
        name = names.schema(kind)
        if name in existing:
            arns[kind] = existing[name]
            continue
        path = schema_dir / f"{kind}.json"
        if not path.is_file():
            raise ConfigError(
                f"schema file {path} not found; regenerate with `python data/generate.py`"
            )
        arns[kind] = client.create_schema(
            name=name, schema=path.read_text(encoding="utf-8"), domain=VOD_DOMAIN
        )["schemaArn"]
        say(progress, f"created schema {name}")
    return arns


class PersonalizeBuilder:
    """Creates the VIDEO_ON_DEMAND dataset group, datasets, imports and recommender in order."""

    def __init__(
        self,
        settings: Settings,
        *,
        client: Any,
        timeout: float,
        poll: float,
        sleep: Callable[[float], None],
        progress: Progress | None,
    ) -> None:
        self.settings = settings
        self.client = client
        self.names = names_for(settings)
        self.tags = personalize_tags(settings.name_prefix)
        self.wait = dict(timeout=timeout, poll=poll, sleep=sleep, progress=progress)
        self.progress = progress

    def _wait_active(self, operation: str, key: str, arn_param: str, arn: str, what: str) -> None:
        wait_until(_status_of(self.client, operation, key, arn_param, arn), what=what, **self.wait)

    def dataset_group(self) -> str:
        name = self.names.dataset_group
        arn = _find(
            list_all(self.client, "list_dataset_groups", "datasetGroups"), name, "datasetGroupArn"
        )
        if arn is None:
            arn = self.client.create_dataset_group(name=name, domain=VOD_DOMAIN, tags=self.tags)[
                "datasetGroupArn"
            ]
            say(self.progress, f"created dataset group {name}")
        self._wait_active(
            "describe_dataset_group",
            "datasetGroup",
            "datasetGroupArn",
            arn,
            f"dataset group {name}",
        )
        return arn

    def datasets(self, group_arn: str, schema_arns: dict[str, str]) -> dict[str, str]:
        existing = {
            d["datasetType"].upper(): d["datasetArn"]
            for d in list_all(self.client, "list_datasets", "datasets", datasetGroupArn=group_arn)
        }
        arns = {}
        for kind, dataset_type in DATASET_TYPES.items():
            arn = existing.get(dataset_type.upper())
            if arn is None:
                arn = self.client.create_dataset(
                    name=self.names.dataset(kind),
                    schemaArn=schema_arns[kind],
                    datasetGroupArn=group_arn,
                    datasetType=dataset_type,
                    tags=self.tags,
                )["datasetArn"]
                say(self.progress, f"created {dataset_type} dataset {self.names.dataset(kind)}")
            self._wait_active(
                "describe_dataset", "dataset", "datasetArn", arn, f"{dataset_type} dataset"
            )
            arns[kind] = arn
        return arns

    def import_data(
        self, dataset_arns: dict[str, str], data_uris: dict[str, str], role_arn: str
    ) -> None:
        started: dict[str, str] = {}
        for kind, dataset_arn in dataset_arns.items():
            jobs = list(
                list_all(
                    self.client,
                    "list_dataset_import_jobs",
                    "datasetImportJobs",
                    datasetArn=dataset_arn,
                )
            )
            if any(j.get("status") == "ACTIVE" for j in jobs):
                say(self.progress, f"{kind} already imported")
                continue
            running = [
                j for j in jobs if j.get("status") in ("CREATE PENDING", "CREATE IN_PROGRESS")
            ]
            if running:
                started[kind] = running[0]["datasetImportJobArn"]
                continue
            taken = {j.get("jobName") for j in jobs}
            attempt = 1
            while self.names.import_job(kind, attempt) in taken:  # earlier attempts failed
                attempt += 1
            started[kind] = self.client.create_dataset_import_job(
                jobName=self.names.import_job(kind, attempt),
                datasetArn=dataset_arn,
                dataSource={"dataLocation": data_uris[kind]},
                roleArn=role_arn,
                importMode="FULL",
                tags=self.tags,
            )["datasetImportJobArn"]
            say(self.progress, f"started import of {data_uris[kind]}")
        for kind, job_arn in started.items():  # the three imports run in parallel; wait for all
            self._wait_active(
                "describe_dataset_import_job",
                "datasetImportJob",
                "datasetImportJobArn",
                job_arn,
                f"{kind} import",
            )

    def recommender(self, group_arn: str, *, metadata: bool) -> str:
        name = self.names.recommender
        arn = _find(
            list_all(self.client, "list_recommenders", "recommenders", datasetGroupArn=group_arn),
            name,
            "recommenderArn",
        )
        if arn is None:
            config: dict[str, Any] = {"minRecommendationRequestsPerSecond": 1}
            if metadata:
                config["enableMetadataWithRecommendations"] = True
            arn = self.client.create_recommender(
                name=name,
                datasetGroupArn=group_arn,
                recipeArn=TOP_PICKS_RECIPE,
                recommenderConfig=config,
                tags=self.tags,
            )["recommenderArn"]
            say(
                self.progress,
                f"created recommender {name} (training takes tens of minutes or more)",
            )
        self._wait_active(
            "describe_recommender", "recommender", "recommenderArn", arn, f"recommender {name}"
        )
        return arn


def create_personalize_recommender(
    settings: Settings,
    *,
    data_dir: str | Path | None = None,
    metadata: bool = False,
    personalize: Any = None,
    s3: Any = None,
    iam: Any = None,
    timeout: float = 4 * 3600,
    poll: float = 60,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
) -> str:
    """Create a VIDEO_ON_DEMAND top-picks recommender from ``data/movies``; returns its ARN.

    Checks the bucket, role and bucket policy first and says exactly what is missing; uploads
    the CSVs to ``s3://<TAGLINES_BUCKET>/<prefix>/movies/``; then creates (or finds) the schemas,
    dataset group, datasets, import jobs and the ``aws-vod-top-picks`` recommender, waiting
    for each. Creating the recommender takes tens of minutes or more and is billed while
    ACTIVE: delete it with :func:`taglines.provision.teardown`.

    Args:
        settings: region, bucket, role ARN and name prefix.
        data_dir: the dataset folder (default: the shipped ``data/movies``).
        metadata: enable metadata in recommendations (extra cost).
        personalize, s3, iam: boto3 clients (built from the settings when omitted).
        timeout: seconds to wait for each step.
        poll: seconds between status checks.
        progress: called with each progress line (default: the log).

    Raises:
        ProvisioningError: listing what is missing, or naming the step that failed and why.

    Example:
        >>> arn = create_personalize_recommender(settings, progress=print)  # doctest: +SKIP
    """
    from ..storage import upload_dataset

    personalize = personalize or settings.client("personalize")
    s3 = s3 or settings.client("s3")
    iam = iam or settings.client("iam")
    folder = Path(data_dir) if data_dir else REPO_DATA / "movies"
    with aws_step("checking access for Personalize", settings):
        problems = check_access(settings, s3=s3, iam=iam)
    if problems:
        raise ProvisioningError(
            "cannot create the Personalize recommender yet:\n- " + "\n- ".join(problems)
        )
    names = names_for(settings)
    uri = f"s3://{settings.bucket}/{names.s3_prefix}"
    upload_dataset(folder, uri, s3_client=s3)
    say(progress, f"data in {uri}/")
    builder = PersonalizeBuilder(
        settings, client=personalize, timeout=timeout, poll=poll, sleep=sleep, progress=progress
    )
    with aws_step("creating the Personalize resources", settings):
        schemas = ensure_schemas(personalize, names, folder / "schemas", progress=progress)
        group = builder.dataset_group()
        datasets = builder.datasets(group, schemas)
        data_uris = {kind: f"{uri}/{kind}.csv" for kind in DATASET_TYPES}
        builder.import_data(datasets, data_uris, settings.personalize_role_arn)
        arn = builder.recommender(group, metadata=metadata)
    say(progress, f"recommender ready: set TAGLINES_RECOMMENDER_ARN={arn}")
    return arn


# -- delete -----------------------------------------------------------------------------------


def _ours(client: Any, arn: str) -> bool:
    tags = client.list_tags_for_resource(resourceArn=arn).get("tags", [])
    return any(t.get("tagKey") == TAG_KEY and t.get("tagValue") == TAG_VALUE for t in tags)


def delete_personalize(
    settings: Settings,
    *,
    client: Any,
    report: Any,
    timeout: float,
    poll: float,
    sleep: Callable[[float], None],
) -> None:
    """Delete taglines' recommender, datasets, dataset group and schemas, in Personalize's order."""
    names = names_for(settings)
    waits = dict(timeout=timeout, poll=poll, sleep=sleep)
    group = _find(
        list_all(client, "list_dataset_groups", "datasetGroups"),
        names.dataset_group,
        "datasetGroupArn",
    )
    if group is not None and not _ours(client, group):
        report.skipped.append(
            f"dataset group {names.dataset_group} (no created-by=taglines tag; left alone)"
        )
        group = None
    elif group is None:
        report.missing.append(f"dataset group {names.dataset_group}")
    if group is not None:
        for rec in list_all(client, "list_recommenders", "recommenders", datasetGroupArn=group):
            if rec["name"] != names.recommender or not _ours(client, rec["recommenderArn"]):
                continue  # reported below as blocking the dataset group
            if not rec.get("status", "").startswith("DELETE"):
                client.delete_recommender(recommenderArn=rec["recommenderArn"])
            wait_gone(
                lambda a=rec["recommenderArn"]: (
                    _describe(client, "describe_recommender", "recommender", "recommenderArn", a)
                    is not None
                ),
                what=f"recommender {rec['name']}",
                **waits,
            )
            report.deleted.append(f"recommender {rec['name']}")
        foreign = [
            f"filter {f['name']}"
            for f in list_all(client, "list_filters", "Filters", datasetGroupArn=group)
        ]
        foreign += [
            f"event tracker {t['name']}"
            for t in list_all(client, "list_event_trackers", "eventTrackers", datasetGroupArn=group)
        ]
        foreign += [
            f"solution {s['name']}"
            for s in list_all(client, "list_solutions", "solutions", datasetGroupArn=group)
        ]
        foreign += [
            f"recommender {r['name']}"
            for r in list_all(client, "list_recommenders", "recommenders", datasetGroupArn=group)
        ]
        if foreign:
            report.skipped.append(
                f"dataset group {names.dataset_group}: it still holds {', '.join(foreign)}, which taglines "
                "did not create; delete those yourself, then run teardown again"
            )
            return
        for dataset in list_all(client, "list_datasets", "datasets", datasetGroupArn=group):
            arn = dataset["datasetArn"]
            for job in list_all(
                client, "list_dataset_import_jobs", "datasetImportJobs", datasetArn=arn
            ):
                if job.get("status") in ("CREATE PENDING", "CREATE IN_PROGRESS"):
                    wait_until(
                        _status_of(
                            client,
                            "describe_dataset_import_job",
                            "datasetImportJob",
                            "datasetImportJobArn",
                            job["datasetImportJobArn"],
                        ),
                        what=f"import {job['jobName']} (must finish before its dataset can go)",
                        ok=("ACTIVE", "CREATE FAILED", "DELETED"),
                        failed=(),
                        **waits,
                    )
            client.delete_dataset(datasetArn=arn)
            wait_gone(
                lambda a=arn: (
                    _describe(client, "describe_dataset", "dataset", "datasetArn", a) is not None
                ),
                what=f"dataset {dataset['name']}",
                **waits,
            )
            report.deleted.append(f"dataset {dataset['name']}")
        client.delete_dataset_group(datasetGroupArn=group)
        wait_gone(
            lambda: (
                _describe(
                    client, "describe_dataset_group", "datasetGroup", "datasetGroupArn", group
                )
                is not None
            ),
            what=f"dataset group {names.dataset_group}",
            **waits,
        )
        report.deleted.append(f"dataset group {names.dataset_group}")
    delete_schemas(client, names, report)


def delete_schemas(client: Any, names: Names, report: Any) -> None:
    """Delete taglines' schemas (by name; schemas carry no tags). Ones still in use are kept."""
    from botocore.exceptions import ClientError

    existing = {s["name"]: s["schemaArn"] for s in list_all(client, "list_schemas", "schemas")}
    for kind in DATASET_TYPES:
        name = names.schema(kind)
        if name not in existing:
            report.missing.append(f"schema {name}")
            continue
        try:
            client.delete_schema(schemaArn=existing[name])
        except ClientError as exc:
            if _code(exc) == "ResourceInUseException":
                report.skipped.append(f"schema {name} (still used by a dataset)")
                continue
            if _code(exc) != "ResourceNotFoundException":
                raise
            report.missing.append(f"schema {name}")
            continue
        report.deleted.append(f"schema {name}")
