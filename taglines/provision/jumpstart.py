"""JumpStart endpoints: deploy Falcon-40B-Instruct and Stable Diffusion 2.1, wait, tear down."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from ..config import Settings
from ..errors import ConfigError, ProvisioningError
from .names import (
    FALCON_INSTANCE_TYPE,
    FALCON_MODEL_ID,
    SD_INSTANCE_TYPE,
    SD_MODEL_ID,
    TAG_KEY,
    TAG_VALUE,
    names_for,
    sagemaker_tags,
)
from .wait import Progress, aws_step, say, wait_until

SDK_FIX = "pip install 'sagemaker>=2.257,<3'"


def jumpstart_model_class() -> type:
    """``sagemaker.jumpstart.model.JumpStartModel`` from SDK v2, imported only when needed.

    Raises:
        ConfigError: if the SDK is missing or is v3 (which removed the class), with the fix.
    """
    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    try:
        import sagemaker
    except ImportError as exc:
        raise ConfigError(f"the SageMaker Python SDK is not installed: {SDK_FIX}") from exc
    version = getattr(sagemaker, "__version__", "0")
    if not version.startswith("2."):
        raise ConfigError(
            f"sagemaker {version} is installed, but JumpStartModel needs SDK v2 (v3 removed it): {SDK_FIX}"
        )
    try:
        from sagemaker.jumpstart.model import JumpStartModel
    except ImportError as exc:
        raise ConfigError(f"sagemaker {version} has no JumpStartModel: {SDK_FIX}") from exc
    return JumpStartModel


def _status(client: Any, endpoint: str) -> tuple[str, str | None] | None:
    from botocore.exceptions import ClientError

    try:
        found = client.describe_endpoint(EndpointName=endpoint)
    except ClientError as exc:
        if _not_found(exc):
            return None
        raise
    return found["EndpointStatus"], found.get("FailureReason")


def _not_found(exc: Any) -> bool:
    error = exc.response.get("Error", {})
    return error.get("Code") in ("ValidationException", "ValidationError", "ResourceNotFound") and (
        "not found" in error.get("Message", "").lower()
        or "could not find" in error.get("Message", "").lower()
    )


def is_tagged(client: Any, arn: str) -> bool:
    """Whether a SageMaker resource carries taglines' ``created-by`` tag."""
    tags = client.list_tags(ResourceArn=arn).get("Tags", [])
    return any(t.get("Key") == TAG_KEY and t.get("Value") == TAG_VALUE for t in tags)


def deploy_endpoint(
    settings: Settings,
    *,
    endpoint_name: str,
    model_id: str,
    model_version: str = "*",
    instance_type: str,
    role: str | None = None,
    sagemaker_client: Any = None,
    model_cls: type | None = None,
    timeout: float = 3600,
    poll: float = 30,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
) -> str:
    """Deploy a JumpStart model to ``endpoint_name`` and wait until InService (idempotent).

    An endpoint that already exists is not deployed again: InService is returned at once,
    Creating/Updating is waited for, Failed raises with the reason.
    """
    client = sagemaker_client or settings.client("sagemaker")
    with aws_step(f"deploying endpoint {endpoint_name}", settings):
        return _deploy(
            settings,
            client,
            endpoint_name,
            model_id,
            model_version,
            instance_type,
            role,
            model_cls,
            timeout,
            poll,
            sleep,
            progress,
        )


def _deploy(
    settings: Settings,
    client: Any,
    endpoint_name: str,
    model_id: str,
    model_version: str,
    instance_type: str,
    role: str | None,
    model_cls: type | None,
    timeout: float,
    poll: float,
    sleep: Callable[[float], None],
    progress: Progress | None,
) -> str:
    state = _status(client, endpoint_name)
    if state is None:
        cls = model_cls or jumpstart_model_class()
        say(progress, f"deploying {model_id} to endpoint {endpoint_name} on {instance_type} …")
        kwargs: dict[str, Any] = {
            "model_id": model_id,
            "model_version": model_version,
            "instance_type": instance_type,
            "name": names_for(settings).model(endpoint_name),
        }
        role = role or settings.sagemaker_role_arn
        if role:
            kwargs["role"] = role
        if model_cls is None:
            kwargs["sagemaker_session"] = _sdk_session(settings)
        try:
            model = cls(**kwargs)
            model.deploy(
                initial_instance_count=1,
                instance_type=instance_type,
                endpoint_name=endpoint_name,
                tags=sagemaker_tags(settings.name_prefix),
                wait=False,
            )
        except (ConfigError, ProvisioningError):
            raise
        except Exception as exc:  # the SDK raises ValueError/ClientError/… for setup problems
            raise ProvisioningError(
                f"deploying {model_id} to {endpoint_name} failed: {exc}. Outside SageMaker "
                "Studio set TAGLINES_SAGEMAKER_ROLE_ARN to a SageMaker execution role; check "
                f"your quota for {instance_type} in {settings.region}"
            ) from exc
    elif state[0] == "InService":
        say(progress, f"endpoint {endpoint_name} already InService; nothing to do")
        return endpoint_name

    def describe() -> tuple[str, str | None]:
        return _status(client, endpoint_name) or ("Missing", "the endpoint disappeared")

    wait_until(
        describe,
        what=f"endpoint {endpoint_name}",
        ok=("InService",),
        failed=("Failed", "Missing", "OutOfService"),
        timeout=timeout,
        poll=poll,
        sleep=sleep,
        progress=progress,
    )
    return endpoint_name


def _sdk_session(settings: Settings) -> Any:
    import boto3
    import sagemaker

    boto_session = boto3.Session(profile_name=settings.profile, region_name=settings.region)
    return sagemaker.Session(boto_session=boto_session)


def deploy_text_endpoint(
    settings: Settings,
    *,
    model_id: str = FALCON_MODEL_ID,
    model_version: str = "*",
    instance_type: str = FALCON_INSTANCE_TYPE,
    **options: Any,
) -> str:
    """Deploy Falcon-40B-Instruct (JumpStart) and wait until InService.

    Defaults: ``huggingface-llm-falcon-40b-instruct-bf16`` on ``ml.g5.12xlarge`` (4× A10G,
    high cost class: several USD per hour while InService; check SageMaker pricing). The
    endpoint is named by ``TAGLINES_TEXT_ENDPOINT`` or ``<prefix>-falcon-40b-instruct`` and
    tagged ``created-by=taglines``. Delete it with :func:`teardown` when done.

    Example:
        >>> deploy_text_endpoint(Settings.from_env(region="us-east-1"))  # doctest: +SKIP
        'taglines-falcon-40b-instruct'
    """
    return deploy_endpoint(
        settings,
        endpoint_name=names_for(settings).text_endpoint,
        model_id=model_id,
        model_version=model_version,
        instance_type=instance_type,
        **options,
    )


def deploy_image_endpoint(
    settings: Settings,
    *,
    model_id: str = SD_MODEL_ID,
    model_version: str = "*",
    instance_type: str = SD_INSTANCE_TYPE,
    **options: Any,
) -> str:
    """Deploy Stable Diffusion 2.1 base (JumpStart) and wait until InService.

    Defaults: ``model-txt2img-stabilityai-stable-diffusion-v2-1-base`` on ``ml.g5.2xlarge``
    (1× A10G, medium cost class: around 1–2 USD per hour while InService; check SageMaker
    pricing). Named by ``TAGLINES_IMAGE_ENDPOINT`` or ``<prefix>-sd21-base``.

    Example:
        >>> deploy_image_endpoint(Settings.from_env(region="us-east-1"))  # doctest: +SKIP
        'taglines-sd21-base'
    """
    return deploy_endpoint(
        settings,
        endpoint_name=names_for(settings).image_endpoint,
        model_id=model_id,
        model_version=model_version,
        instance_type=instance_type,
        **options,
    )


def delete_endpoint_stack(client: Any, endpoint: str, model_name: str, report: Any) -> None:
    """Delete an endpoint, its endpoint config and its models, if taglines created them."""
    from botocore.exceptions import ClientError

    config_names = {endpoint}  # the SDK names the endpoint config after the endpoint
    model_names = {model_name}
    try:
        found = client.describe_endpoint(EndpointName=endpoint)
    except ClientError as exc:
        if not _not_found(exc):
            raise
        report.missing.append(f"endpoint {endpoint}")
    else:
        if not is_tagged(client, found["EndpointArn"]):
            report.skipped.append(f"endpoint {endpoint} (no created-by=taglines tag; left alone)")
            return
        config_names.add(found["EndpointConfigName"])
        client.delete_endpoint(EndpointName=endpoint)
        report.deleted.append(f"endpoint {endpoint}")
    for config in sorted(config_names):
        try:
            described = client.describe_endpoint_config(EndpointConfigName=config)
        except ClientError as exc:
            if not _not_found(exc):
                raise
            continue
        if not is_tagged(client, described["EndpointConfigArn"]):
            report.skipped.append(f"endpoint config {config} (not tagged; left alone)")
            continue
        model_names.update(v["ModelName"] for v in described.get("ProductionVariants", []))
        client.delete_endpoint_config(EndpointConfigName=config)
        report.deleted.append(f"endpoint config {config}")
    for model in sorted(model_names):
        try:
            described = client.describe_model(ModelName=model)
        except ClientError as exc:
            if not _not_found(exc):
                raise
            continue
        if not is_tagged(client, described["ModelArn"]):
            report.skipped.append(f"model {model} (not tagged; left alone)")
            continue
        client.delete_model(ModelName=model)
        report.deleted.append(f"model {model}")
