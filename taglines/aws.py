"""Builds boto3 clients: the one place that calls ``boto3.client`` (region, retries, pools)."""

from __future__ import annotations

import logging
from typing import Any

from .errors import ConfigError

log = logging.getLogger(__name__)

#: SageMaker containers answer within 60 s; give the response a little more before giving up.
DEFAULT_READ_TIMEOUT = 70.0
DEFAULT_CONNECT_TIMEOUT = 5.0


def make_client(
    service: str,
    *,
    region: str | None = None,
    profile: str | None = None,
    max_pool_connections: int = 10,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
    max_attempts: int = 4,
    endpoint_url: str | None = None,
) -> Any:
    """Create a boto3 client with the retry, timeout and pool settings taglines relies on.

    Standard retry mode retries throttling and 5xx answers with backoff; ``max_attempts``
    bounds it. Size ``max_pool_connections`` to the number of threads sharing the client,
    otherwise urllib3 drops connections ("connection pool is full").

    Args:
        service: boto3 service name, e.g. ``"sagemaker-runtime"``.
        region: AWS region; ``None`` uses the profile's or environment's region.
        profile: named profile from ``~/.aws/config``; ``None`` uses the default chain.
        max_pool_connections: HTTP connections kept per client.
        connect_timeout: seconds to open a connection.
        read_timeout: seconds to wait for a response.
        max_attempts: total attempts including the first (standard retry mode).
        endpoint_url: override the service URL (emulators, VPC endpoints).

    Returns:
        A botocore client.

    Example:
        >>> client = make_client("s3", region="us-east-1")  # doctest: +SKIP
    """
    import boto3
    from botocore.config import Config
    from botocore.exceptions import NoRegionError, ProfileNotFound

    config = Config(
        region_name=region,
        retries={"mode": "standard", "max_attempts": max_attempts},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        max_pool_connections=max_pool_connections,
    )
    try:
        # A session per client: boto3's default session is not safe to share across threads.
        session = boto3.Session(profile_name=profile, region_name=region)
        return session.client(service, config=config, endpoint_url=endpoint_url)
    except ProfileNotFound as exc:
        raise _unknown_profile(profile) from exc
    except NoRegionError as exc:
        raise ConfigError(
            f"no AWS region for the {service} client: set AWS_REGION (or TAGLINES_REGION), "
            "or run in local mode (TAGLINES_MODE=local)"
        ) from exc


def session_region(profile: str | None = None) -> str | None:
    """The region the default credential chain would use (env vars, profile config), if any."""
    import boto3
    from botocore.exceptions import ProfileNotFound

    try:
        return boto3.Session(profile_name=profile).region_name
    except ProfileNotFound as exc:
        raise _unknown_profile(profile) from exc


def _unknown_profile(profile: str | None) -> ConfigError:
    return ConfigError(
        f"AWS profile {profile!r} not found: set AWS_PROFILE / TAGLINES_PROFILE to a profile "
        "in ~/.aws/config, or unset it to use the default credentials chain"
    )
