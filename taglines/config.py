"""Settings: the one configuration object, read from ``TAGLINES_*`` environment variables."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

MODES = ("local", "aws")

#: Where the shipped movie data lives in a clone of the repository.
REPO_DATA = Path(__file__).resolve().parent.parent / "data"

#: Settings field -> environment variable. ``region`` and ``profile`` fall back to AWS's own.
ENV_VARS: dict[str, str] = {
    "mode": "TAGLINES_MODE",
    "region": "TAGLINES_REGION",
    "profile": "TAGLINES_PROFILE",
    "data_uri": "TAGLINES_DATA_URI",
    "recommender_arn": "TAGLINES_RECOMMENDER_ARN",
    "campaign_arn": "TAGLINES_CAMPAIGN_ARN",
    "filter_arn": "TAGLINES_FILTER_ARN",
    "text_endpoint": "TAGLINES_TEXT_ENDPOINT",
    "image_endpoint": "TAGLINES_IMAGE_ENDPOINT",
    "api_url": "TAGLINES_API_URL",
    "api_key": "TAGLINES_API_KEY",
    "bedrock_text_model": "TAGLINES_BEDROCK_TEXT_MODEL",
    "bedrock_image_model": "TAGLINES_BEDROCK_IMAGE_MODEL",
    "bucket": "TAGLINES_BUCKET",
    "personalize_role_arn": "TAGLINES_PERSONALIZE_ROLE_ARN",
    "sagemaker_role_arn": "TAGLINES_SAGEMAKER_ROLE_ARN",
    "name_prefix": "TAGLINES_NAME_PREFIX",
}
AWS_FALLBACKS = {"region": ("AWS_REGION", "AWS_DEFAULT_REGION"), "profile": ("AWS_PROFILE",)}

# Any of these set (and no explicit mode) means the user wants AWS.
_AWS_HINTS = ("recommender_arn", "campaign_arn", "text_endpoint", "image_endpoint", "api_url")

_ARN = re.compile(r"^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\d{12}:(?P<kind>[a-z-]+)/.+$")
_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9])*$")


def default_data_uri() -> str:
    """The shipped movie dataset: ``data/movies`` in the repository, else under the cwd."""
    repo = REPO_DATA / "movies"
    return str(repo if repo.is_dir() else Path.cwd() / "data" / "movies")


@dataclass(frozen=True)
class Settings:
    """Everything taglines needs to know, validated once.

    ``mode="local"`` needs nothing else: local recommender, template taglines, procedural art.
    ``mode="aws"`` needs a Personalize recommender or campaign ARN and a region; text and image
    come from SageMaker endpoints, an API Gateway URL (``api_url``, routes ``/text`` and
    ``/image``) or Bedrock model ids, checked when the pipeline is built.

    Example:
        >>> Settings().mode
        'local'
        >>> Settings.from_env({"TAGLINES_MODE": "local"}).mode
        'local'
    """

    mode: str = "local"
    region: str | None = None
    profile: str | None = None
    data_uri: str = field(default_factory=default_data_uri)
    recommender_arn: str | None = None
    campaign_arn: str | None = None
    filter_arn: str | None = None
    text_endpoint: str | None = None
    image_endpoint: str | None = None
    api_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    bedrock_text_model: str | None = None
    bedrock_image_model: str | None = None
    bucket: str | None = None
    personalize_role_arn: str | None = None
    sagemaker_role_arn: str | None = None
    name_prefix: str = "taglines"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(
                f"unknown mode {self.mode!r}: set TAGLINES_MODE to 'local' (no AWS account "
                "needed) or 'aws'"
            )
        if not _NAME.match(self.name_prefix) or len(self.name_prefix) > 40:
            raise ConfigError(
                f"TAGLINES_NAME_PREFIX={self.name_prefix!r} is not a valid resource name prefix: "
                "use letters, digits and hyphens, at most 40 characters"
            )
        self._check_arn("recommender_arn", "recommender")
        self._check_arn("campaign_arn", "campaign")
        self._check_arn("filter_arn", "filter")
        if self.api_url is not None and not re.match(r"^https?://[^/\s]+", self.api_url):
            raise ConfigError(
                f"TAGLINES_API_URL={self.api_url!r} is not an http(s) URL: use the invoke URL of "
                "the API Gateway stage, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/prod"
            )
        if self.mode == "aws":
            self._check_aws()

    def _check_arn(self, name: str, kind: str) -> None:
        value = getattr(self, name)
        if value is None:
            return
        match = _ARN.match(value)
        if not match or match["kind"] != kind:
            raise ConfigError(
                f"{ENV_VARS[name]}={value!r} is not a Personalize {kind} ARN "
                f"(arn:aws:personalize:<region>:<account>:{kind}/<name>): copy it from the "
                "Personalize console or `aws personalize list-{kind}s`"
            )

    def _check_aws(self) -> None:
        if self.recommender_arn and self.campaign_arn:
            raise ConfigError(
                "both TAGLINES_RECOMMENDER_ARN and TAGLINES_CAMPAIGN_ARN are set: set exactly one "
                "(a recommender for a domain dataset group, a campaign for a custom solution)"
            )
        if not (self.recommender_arn or self.campaign_arn):
            raise ConfigError(
                "mode 'aws' needs a Personalize recommender: set TAGLINES_RECOMMENDER_ARN (or "
                "TAGLINES_CAMPAIGN_ARN), create one with `python -m taglines provision --only "
                "personalize`, or set TAGLINES_MODE=local"
            )
        if not self.region:
            raise ConfigError(
                "mode 'aws' needs a region: set AWS_REGION (or TAGLINES_REGION), or set "
                "TAGLINES_MODE=local"
            )
        for endpoint, model in (
            ("text_endpoint", "bedrock_text_model"),
            ("image_endpoint", "bedrock_image_model"),
        ):
            if getattr(self, endpoint) and getattr(self, model):
                raise ConfigError(
                    f"both {ENV_VARS[endpoint]} and {ENV_VARS[model]} are set: unset one "
                    "(SageMaker endpoint or Bedrock model)"
                )
            if getattr(self, endpoint) and self.api_url:
                raise ConfigError(
                    f"both {ENV_VARS[endpoint]} and TAGLINES_API_URL are set: the API Gateway "
                    "already knows its endpoint, so unset one of them"
                )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from ``TAGLINES_*`` variables (plus AWS_REGION / AWS_PROFILE).

        Keyword arguments override the environment; ``None`` values are ignored so a notebook
        can pass its parameters straight through. Without an explicit mode, the mode is
        ``"aws"`` when any AWS resource (ARN, endpoint, API URL) is configured, else ``"local"``.

        Args:
            environ: mapping to read instead of ``os.environ``.
            **overrides: field values that win over the environment.

        Returns:
            Validated settings.

        Raises:
            ConfigError: naming the variable to set or fix.

        Example:
            >>> Settings.from_env({}, mode="local").mode
            'local'
        """
        env = os.environ if environ is None else environ
        unknown = set(overrides) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(f"unknown setting(s) {sorted(unknown)}: known are {sorted(ENV_VARS)}")
        values: dict[str, Any] = {}
        for name, var in ENV_VARS.items():
            raw = env.get(var, "").strip()
            for fallback in AWS_FALLBACKS.get(name, ()):
                raw = raw or env.get(fallback, "").strip()
            if raw:
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "mode" in values:
            values["mode"] = str(values["mode"]).strip().lower()
        else:
            values["mode"] = "aws" if any(values.get(k) for k in _AWS_HINTS) else "local"
        if values["mode"] == "aws" and not values.get("region"):
            from .aws import session_region

            region = session_region(values.get("profile"))
            if region:
                values["region"] = region
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def client(self, service: str, **options: Any) -> Any:
        """A boto3 client for ``service`` in this region and profile (see :func:`make_client`)."""
        from .aws import make_client

        return make_client(service, region=self.region, profile=self.profile, **options)
