"""Provisioning and cleanup of every AWS resource the notebook needs: opt-in, idempotent.

Nothing here runs on import, and ``sagemaker`` is imported only when an endpoint is deployed.

* :func:`plan` lists what would be created, with instance types and a cost warning, without
  calling AWS at all (``python -m taglines provision --dry-run``).
* :func:`deploy_text_endpoint` / :func:`deploy_image_endpoint` deploy the JumpStart models.
* :func:`create_personalize_recommender` builds a top-picks recommender from ``data/movies``.
* :func:`teardown` deletes what taglines created (by name *and* ``created-by=taglines`` tag),
  tolerating anything already gone, and reports what it removed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..config import Settings
from ..data import FILES
from ..errors import ConfigError
from .jumpstart import (
    delete_endpoint_stack,
    deploy_image_endpoint,
    deploy_text_endpoint,
    jumpstart_model_class,
)
from .names import (
    COST_CLASS,
    FALCON_INSTANCE_TYPE,
    FALCON_MODEL_ID,
    PERSONALIZE_COST,
    SD_INSTANCE_TYPE,
    SD_MODEL_ID,
    TOP_PICKS_RECIPE,
    Names,
    names_for,
)
from .personalize import (
    access_policies,
    check_access,
    create_personalize_recommender,
    delete_personalize,
)
from .wait import Progress, aws_step, say

PARTS = ("text", "image", "personalize")

__all__ = [
    "PARTS",
    "Names",
    "ProvisionPlan",
    "TeardownReport",
    "access_policies",
    "check_access",
    "create_personalize_recommender",
    "deploy_image_endpoint",
    "deploy_text_endpoint",
    "jumpstart_model_class",
    "names_for",
    "plan",
    "provision",
    "teardown",
]


@dataclass(frozen=True)
class PlannedResource:
    part: str
    kind: str
    name: str
    detail: str


@dataclass(frozen=True)
class ProvisionPlan:
    """What :func:`provision` would create, and what it costs. Printing it gives a table."""

    region: str | None
    resources: tuple[PlannedResource, ...]
    warnings: tuple[str, ...]

    def __str__(self) -> str:
        width = max((len(r.kind) for r in self.resources), default=4)
        lines = [
            f"Plan for region {self.region or '<unset: set AWS_REGION>'} (nothing has been created):"
        ]
        part = None
        for r in self.resources:
            if r.part != part:
                part = r.part
                lines.append(f"\n[{part}]")
            lines.append(f"  + {r.kind:<{width}}  {r.name}  {r.detail}".rstrip())
        lines.append("")
        lines += [f"! {w}" for w in self.warnings]
        return "\n".join(lines)

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame([r.__dict__ for r in self.resources])


def _parts(only: str | Iterable[str] | None) -> tuple[str, ...]:
    if only is None:
        return PARTS
    chosen = (only,) if isinstance(only, str) else tuple(only)
    unknown = sorted(set(chosen) - set(PARTS))
    if unknown:
        raise ConfigError(f"unknown part(s) {unknown}: choose from {', '.join(PARTS)}")
    return tuple(p for p in PARTS if p in chosen)


def plan(
    settings: Settings,
    *,
    only: str | Iterable[str] | None = None,
    text_instance_type: str = FALCON_INSTANCE_TYPE,
    image_instance_type: str = SD_INSTANCE_TYPE,
    metadata: bool = False,
) -> ProvisionPlan:
    """List what provisioning would create, with instance types and costs. Calls no AWS API.

    Example:
        >>> print(plan(Settings(region="us-east-1"), only="text"))  # doctest: +ELLIPSIS
        Plan for region us-east-1 (nothing has been created):
        ...
    """
    names = names_for(settings)
    resources: list[PlannedResource] = []
    warnings: list[str] = []
    parts = _parts(only)
    for part, endpoint, model_id, instance in (
        ("text", names.text_endpoint, FALCON_MODEL_ID, text_instance_type),
        ("image", names.image_endpoint, SD_MODEL_ID, image_instance_type),
    ):
        if part in parts:
            resources += [
                PlannedResource(
                    part, "SageMaker model", names.model(endpoint), f"JumpStart {model_id}"
                ),
                PlannedResource(part, "endpoint config", endpoint, f"1 × {instance}"),
                PlannedResource(
                    part,
                    "endpoint",
                    endpoint,
                    "tagged created-by=taglines; wait until InService (10–30 min)",
                ),
            ]
            warnings.append(
                f"{part} endpoint on {instance} is billed per hour while InService, used or not ({COST_CLASS[part]})"
            )
    if "personalize" in parts:
        bucket = settings.bucket or "<set TAGLINES_BUCKET>"
        resources += [
            PlannedResource(
                "personalize", "S3 object", f"s3://{bucket}/{names.s3_prefix}/{f}", "upload"
            )
            for f in FILES
        ]
        resources += [
            PlannedResource("personalize", "schema", names.schema(k), "from data/movies/schemas")
            for k in ("interactions", "items", "users")
        ]
        resources += [
            PlannedResource(
                "personalize", "dataset group", names.dataset_group, "domain VIDEO_ON_DEMAND"
            ),
            *[
                PlannedResource("personalize", "dataset", names.dataset(k), "")
                for k in ("interactions", "items", "users")
            ],
            *[
                PlannedResource(
                    "personalize",
                    "import job",
                    names.import_job(k),
                    f"role {settings.personalize_role_arn or '<set TAGLINES_PERSONALIZE_ROLE_ARN>'}",
                )
                for k in ("interactions", "items", "users")
            ],
            PlannedResource(
                "personalize",
                "recommender",
                names.recommender,
                f"{TOP_PICKS_RECIPE}{' + metadata (extra cost)' if metadata else ''}; tens of minutes or more",
            ),
        ]
        warnings.append(f"personalize: {PERSONALIZE_COST}")
        missing = [
            v
            for v, ok in (
                ("TAGLINES_BUCKET", settings.bucket),
                ("TAGLINES_PERSONALIZE_ROLE_ARN", settings.personalize_role_arn),
            )
            if not ok
        ]
        if missing:
            warnings.append(f"personalize needs {' and '.join(missing)} before it can run")
    if not settings.region:
        warnings.append("no region: set AWS_REGION (or TAGLINES_REGION)")
    warnings.append("delete everything with `python -m taglines teardown` when you are done")
    return ProvisionPlan(settings.region, tuple(resources), tuple(warnings))


def provision(
    settings: Settings,
    *,
    only: str | Iterable[str] | None = None,
    text_instance_type: str = FALCON_INSTANCE_TYPE,
    image_instance_type: str = SD_INSTANCE_TYPE,
    metadata: bool = False,
    progress: Progress | None = None,
    **options: Any,
) -> dict[str, str]:
    """Create the chosen parts (default: all), each idempotent; returns the names/ARNs to set.

    Example:
        >>> provision(settings, only="image", progress=print)  # doctest: +SKIP
        {'TAGLINES_IMAGE_ENDPOINT': 'taglines-sd21-base'}
    """
    if not settings.region:
        raise ConfigError("provisioning needs a region: set AWS_REGION (or TAGLINES_REGION)")
    parts = _parts(only)
    result: dict[str, str] = {}
    deploy = {
        k: v
        for k, v in options.items()
        if k in ("role", "sagemaker_client", "model_cls", "timeout", "poll", "sleep")
    }
    deploy.setdefault("role", settings.sagemaker_role_arn)
    if "text" in parts:
        result["TAGLINES_TEXT_ENDPOINT"] = deploy_text_endpoint(
            settings, instance_type=text_instance_type, progress=progress, **deploy
        )
    if "image" in parts:
        result["TAGLINES_IMAGE_ENDPOINT"] = deploy_image_endpoint(
            settings, instance_type=image_instance_type, progress=progress, **deploy
        )
    if "personalize" in parts:
        keys = ("personalize", "s3", "iam", "timeout", "poll", "sleep", "data_dir")
        result["TAGLINES_RECOMMENDER_ARN"] = create_personalize_recommender(
            settings,
            metadata=metadata,
            progress=progress,
            **{k: v for k, v in options.items() if k in keys},
        )
    return result


@dataclass
class TeardownReport:
    """What :func:`teardown` removed, found already gone, or left alone (and why)."""

    deleted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        sections = [
            ("would delete (if tagged created-by=taglines)", self.planned),
            ("deleted", self.deleted),
            ("already gone", self.missing),
            ("left alone", self.skipped),
        ]
        lines = []
        for title, items in sections:
            if items:
                lines.append(f"{title}:")
                lines += [f"  - {item}" for item in items]
        return "\n".join(lines) or "nothing to do"


def teardown(
    settings: Settings,
    *,
    only: str | Iterable[str] | None = None,
    dry_run: bool = False,
    sagemaker_client: Any = None,
    personalize: Any = None,
    s3: Any = None,
    timeout: float = 1800,
    poll: float = 15,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
) -> TeardownReport:
    """Delete what taglines created, in the order AWS requires; safe to run again and again.

    Endpoints, endpoint configs and models; the Personalize recommender, datasets (after any
    running import finishes), dataset group and schemas; the uploaded S3 objects. Resources
    without the ``created-by=taglines`` tag are never deleted, and anything already gone is
    simply reported.

    Example:
        >>> print(teardown(settings))  # doctest: +SKIP
        deleted:
          - endpoint taglines-falcon-40b-instruct
          ...
    """
    parts = _parts(only)
    names = names_for(settings)
    report = TeardownReport()
    if dry_run:
        for part, endpoint in (("text", names.text_endpoint), ("image", names.image_endpoint)):
            if part in parts:
                report.planned += [
                    f"endpoint {endpoint}",
                    f"endpoint config {endpoint}",
                    f"model {names.model(endpoint)}",
                ]
        if "personalize" in parts:
            report.planned += [f"recommender {names.recommender}", f"datasets {names.dataset('*')}"]
            report.planned += [
                f"dataset group {names.dataset_group}",
                f"schemas {names.schema('*')}",
            ]
            if settings.bucket:
                report.planned += [f"s3://{settings.bucket}/{names.s3_prefix}/{f}" for f in FILES]
        return report
    if not settings.region:
        raise ConfigError("teardown needs a region: set AWS_REGION (or TAGLINES_REGION)")
    if "text" in parts or "image" in parts:
        client = sagemaker_client or settings.client("sagemaker")
        for part, endpoint in (("text", names.text_endpoint), ("image", names.image_endpoint)):
            if part in parts:
                with aws_step(f"deleting the {part} endpoint {endpoint}", settings):
                    delete_endpoint_stack(client, endpoint, names.model(endpoint), report)
                say(progress, f"{part} endpoint {endpoint}: done")
    if "personalize" in parts:
        with aws_step("deleting the Personalize resources", settings):
            delete_personalize(
                settings,
                client=personalize or settings.client("personalize"),
                report=report,
                timeout=timeout,
                poll=poll,
                sleep=sleep,
            )
            if settings.bucket:
                _delete_uploads(s3 or settings.client("s3"), settings.bucket, names, report)
        say(progress, "personalize: done")
    return report


def _delete_uploads(s3: Any, bucket: str, names: Names, report: TeardownReport) -> None:
    from botocore.exceptions import ClientError

    for name in FILES:
        key = f"{names.s3_prefix}/{name}"
        try:
            s3.head_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in (
                "404",
                "NoSuchKey",
                "NotFound",
                "NoSuchBucket",
            ):
                report.missing.append(f"s3://{bucket}/{key}")
                continue
            raise
        s3.delete_object(Bucket=bucket, Key=key)
        report.deleted.append(f"s3://{bucket}/{key}")
