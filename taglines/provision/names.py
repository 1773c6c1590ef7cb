"""Names, tags and defaults of everything taglines provisions, derived from Settings alone."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Settings

#: JumpStart model ids and defaults. Instance types are configurable; costs are per hour while
#: the endpoint is InService, billed whether or not it is used (check SageMaker pricing).
FALCON_MODEL_ID = "huggingface-llm-falcon-40b-instruct-bf16"
FALCON_INSTANCE_TYPE = "ml.g5.12xlarge"  # 4× NVIDIA A10G: high cost class, several USD per hour
SD_MODEL_ID = "model-txt2img-stabilityai-stable-diffusion-v2-1-base"
SD_INSTANCE_TYPE = "ml.g5.2xlarge"  # 1× NVIDIA A10G: medium cost class, around 1–2 USD per hour

VOD_DOMAIN = "VIDEO_ON_DEMAND"
TOP_PICKS_RECIPE = "arn:aws:personalize:::recipe/aws-vod-top-picks"
DATASET_TYPES = {"interactions": "Interactions", "items": "Items", "users": "Users"}

TAG_KEY = "created-by"
TAG_VALUE = "taglines"

COST_CLASS = {
    "text": f"default {FALCON_INSTANCE_TYPE} is multi-GPU: high cost class, several USD per hour",
    "image": f"default {SD_INSTANCE_TYPE} is one GPU: medium cost class, about 1–2 USD per hour",
}
PERSONALIZE_COST = (
    "data import and training per run, then the recommender is billed per hour while ACTIVE "
    "(minimum 1 request per second); delete it when done"
)


@dataclass(frozen=True)
class Names:
    """Every resource name taglines uses, from the settings' name prefix."""

    prefix: str
    text_endpoint: str
    image_endpoint: str
    dataset_group: str
    recommender: str
    s3_prefix: str

    def schema(self, kind: str) -> str:
        return f"{self.dataset_group}-{kind}"

    def dataset(self, kind: str) -> str:
        return f"{self.dataset_group}-{kind}"

    def import_job(self, kind: str, attempt: int = 1) -> str:
        base = f"{self.dataset_group}-{kind}-import"
        return base if attempt == 1 else f"{base}-{attempt}"

    def model(self, endpoint: str) -> str:
        return f"{endpoint}-model"


def names_for(settings: Settings) -> Names:
    """Resource names for these settings (endpoint names from the settings when given)."""
    prefix = settings.name_prefix
    return Names(
        prefix=prefix,
        text_endpoint=settings.text_endpoint or f"{prefix}-falcon-40b-instruct",
        image_endpoint=settings.image_endpoint or f"{prefix}-sd21-base",
        dataset_group=f"{prefix}-movies",
        recommender=f"{prefix}-top-picks",
        s3_prefix=f"{prefix}/movies",
    )


def sagemaker_tags(prefix: str) -> list[dict[str, str]]:
    return [{"Key": TAG_KEY, "Value": TAG_VALUE}, {"Key": "taglines:prefix", "Value": prefix}]


def personalize_tags(prefix: str) -> list[dict[str, str]]:
    return [
        {"tagKey": TAG_KEY, "tagValue": TAG_VALUE},
        {"tagKey": "taglines:prefix", "tagValue": prefix},
    ]
