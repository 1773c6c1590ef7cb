"""The one factory that turns Settings into backends: the only place that looks at the mode."""

from __future__ import annotations

from typing import Any

from .config import Settings
from .data import Catalog
from .errors import ConfigError
from .models.base import ImageModel, TextModel
from .recommend import LocalRecommender, PersonalizeRecommender, Recommender


def build_recommender(settings: Settings, catalog: Catalog, *, client: Any = None) -> Recommender:
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
        client=client or settings.client("personalize-runtime"),
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
