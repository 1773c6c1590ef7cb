"""The one factory that turns Settings into backends: the only place that looks at the mode."""

from __future__ import annotations

from typing import Any

from .config import Settings
from .data import Catalog
from .errors import ConfigError
from .models.base import ImageModel, TextModel
from .recommend import LocalRecommender, PersonalizeRecommender, Recommender


def build_catalog(
    settings: Settings, *, s3_client: Any = None, upload_missing: bool = True
) -> Catalog:
    """Load the catalog the settings point at (a folder or ``s3://``).

    In aws mode with an ``s3://`` data URI that holds no dataset yet, the shipped
    ``data/movies`` is uploaded there first (``upload_missing``), so a workshop account needs
    no manual copy.
    """
    from .config import REPO_DATA
    from .storage import load_catalog

    uri = settings.data_uri
    if not uri.startswith("s3://"):
        return load_catalog(uri)
    fill = REPO_DATA / "movies" if upload_missing and settings.mode == "aws" else None
    return load_catalog(uri, s3_client=s3_client or settings.client("s3"), upload_missing_from=fill)


def build_recommender(
    settings: Settings, catalog: Catalog, *, client: Any = None, pool_size: int = 10
) -> Recommender:
    """The recommender the settings ask for: local, or an Amazon Personalize recommender/campaign.

    Example:
        >>> build_recommender(Settings(), catalog).name  # doctest: +SKIP
        'local item-item + genre affinity'
    """
    if settings.mode == "local":
        return LocalRecommender.fit(catalog)
    return PersonalizeRecommender(
        recommender_arn=settings.recommender_arn,
        campaign_arn=settings.campaign_arn,
        filter_arn=settings.filter_arn,
        client=client or settings.client("personalize-runtime", max_pool_connections=pool_size),
    )


def _build_model(purpose: str, settings: Settings, client: Any, pool_size: int) -> Any:
    """The model for ``purpose`` ("text" or "image"); the order of preference is documented
    on the two public builders below."""
    from . import models

    local, bedrock, endpoint, label = {
        "text": (models.LocalTaglineWriter, models.BedrockText, models.FalconEndpoint, "Falcon"),
        "image": (
            models.LocalPosterArt,
            models.BedrockImage,
            models.StableDiffusionEndpoint,
            "Stable Diffusion",
        ),
    }[purpose]
    if settings.mode == "local":
        return local()
    model_id = getattr(settings, f"bedrock_{purpose}_model")
    if model_id:
        return bedrock(
            model_id,
            client=client or settings.client("bedrock-runtime", max_pool_connections=pool_size),
        )
    if settings.api_url:
        return endpoint(
            api_url=settings.api_url,
            api_key=settings.api_key,
            region=settings.region,
            profile=settings.profile,
            pool_size=pool_size,
        )
    name = getattr(settings, f"{purpose}_endpoint")
    if name:
        return endpoint(
            name,
            client=client or settings.client("sagemaker-runtime", max_pool_connections=pool_size),
        )
    upper = purpose.upper()
    raise ConfigError(
        f"mode 'aws' needs {'a' if purpose == 'text' else 'an'} {purpose} model: set "
        f"TAGLINES_{upper}_ENDPOINT (SageMaker), TAGLINES_API_URL (API Gateway) or "
        f"TAGLINES_BEDROCK_{upper}_MODEL; deploy {label} with `python -m taglines provision "
        f"--only {purpose}`"
    )


def build_text_model(settings: Settings, *, client: Any = None, pool_size: int = 10) -> TextModel:
    """The text model: local templates, Bedrock, API Gateway, or the SageMaker endpoint.

    In aws mode a Bedrock model id wins, then the API Gateway URL, then the endpoint name.
    ``client`` (bedrock-runtime or sagemaker-runtime) is built with ``pool_size``
    connections when omitted.

    Raises:
        ConfigError: in aws mode with no text model configured, naming the variables.
    """
    return _build_model("text", settings, client, pool_size)


def build_image_model(settings: Settings, *, client: Any = None, pool_size: int = 10) -> ImageModel:
    """The image model: local procedural art, Bedrock, API Gateway, or the SageMaker endpoint.

    Same order of preference as :func:`build_text_model`.

    Raises:
        ConfigError: in aws mode with no image model configured, naming the variables.
    """
    return _build_model("image", settings, client, pool_size)
