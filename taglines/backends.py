"""The one factory that turns Settings into backends: the only place that looks at the mode."""

from __future__ import annotations

import logging
from typing import Any

from .config import Settings
from .data import Catalog
from .errors import ConfigError
from .models.base import ImageModel, TextModel
from .recommend import LocalRecommender, PersonalizeRecommender, Recommender

log = logging.getLogger(__name__)


def build_catalog(
    settings: Settings, *, s3_client: Any = None, upload_missing: bool = True
) -> Catalog:
    """Load the catalog the settings point at (a folder or ``s3://``).

    In aws mode with an ``s3://`` data URI that holds no dataset yet, the shipped
    ``data/movies`` is uploaded there first (``upload_missing``), so a workshop account needs
    no manual copy.
    """
    from .config import REPO_DATA
    from .storage import load_catalog, missing_files, upload_dataset

    uri = settings.data_uri
    if not uri.startswith("s3://"):
        return load_catalog(uri)
    s3 = s3_client or settings.client("s3")
    if upload_missing and settings.mode == "aws" and missing_files(uri, s3_client=s3)[0]:
        written = upload_dataset(REPO_DATA / "movies", uri, s3_client=s3)
        log.info("uploaded the sample data to %s: %s", uri, ", ".join(written))
    return load_catalog(uri, s3_client=s3)


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


def build_text_model(settings: Settings, *, client: Any = None, pool_size: int = 10) -> TextModel:
    """The text model: local templates, Bedrock, API Gateway, or the SageMaker endpoint.

    In aws mode a Bedrock model id wins, then the API Gateway URL, then the endpoint name.

    Raises:
        ConfigError: in aws mode with no text model configured, naming the variables.
    """
    from .models import BedrockText, FalconEndpoint, LocalTaglineWriter

    if settings.mode == "local":
        return LocalTaglineWriter()
    if settings.bedrock_text_model:
        return BedrockText(
            settings.bedrock_text_model,
            client=client or settings.client("bedrock-runtime", max_pool_connections=pool_size),
        )
    if settings.api_url:
        return FalconEndpoint(
            api_url=settings.api_url,
            api_key=settings.api_key,
            region=settings.region,
            pool_size=pool_size,
        )
    if settings.text_endpoint:
        return FalconEndpoint(
            settings.text_endpoint,
            client=client or settings.client("sagemaker-runtime", max_pool_connections=pool_size),
        )
    raise ConfigError(
        "mode 'aws' needs a text model: set TAGLINES_TEXT_ENDPOINT (SageMaker), TAGLINES_API_URL "
        "(API Gateway) or TAGLINES_BEDROCK_TEXT_MODEL; deploy Falcon with `python -m taglines "
        "provision --only text`"
    )


def build_image_model(settings: Settings, *, client: Any = None, pool_size: int = 10) -> ImageModel:
    """The image model: local procedural art, Bedrock, API Gateway, or the SageMaker endpoint.

    Raises:
        ConfigError: in aws mode with no image model configured, naming the variables.
    """
    from .models import BedrockImage, LocalPosterArt, StableDiffusionEndpoint

    if settings.mode == "local":
        return LocalPosterArt()
    if settings.bedrock_image_model:
        return BedrockImage(
            settings.bedrock_image_model,
            client=client or settings.client("bedrock-runtime", max_pool_connections=pool_size),
        )
    if settings.api_url:
        return StableDiffusionEndpoint(
            api_url=settings.api_url,
            api_key=settings.api_key,
            region=settings.region,
            pool_size=pool_size,
        )
    if settings.image_endpoint:
        return StableDiffusionEndpoint(
            settings.image_endpoint,
            client=client or settings.client("sagemaker-runtime", max_pool_connections=pool_size),
        )
    raise ConfigError(
        "mode 'aws' needs an image model: set TAGLINES_IMAGE_ENDPOINT (SageMaker), TAGLINES_API_URL "
        "(API Gateway) or TAGLINES_BEDROCK_IMAGE_MODEL; deploy Stable Diffusion with `python -m "
        "taglines provision --only image`"
    )
