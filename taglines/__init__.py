"""Personalized movie taglines and posters: Personalize recommendations + generative models.

The public API is re-exported here and loaded on first use, so ``import taglines`` stays fast
(pandas, numpy, Pillow and boto3 load when you first touch what needs them).

Example:
    >>> import taglines
    >>> settings = taglines.Settings.from_env({})
    >>> settings.mode
    'local'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import (
    ConfigError,
    DataError,
    GenerationError,
    ProvisioningError,
    RecommendationError,
    TaglinesError,
)

__version__ = "0.1.0"

# Public name -> module that defines it (imported lazily by __getattr__).
_LAZY = {
    "make_client": "aws",
    "Catalog": "data",
    "Item": "data",
    "User": "data",
    "load_catalog": "storage",
    "upload_dataset": "storage",
    "Recommendation": "recommend",
    "Recommender": "recommend",
    "LocalRecommender": "recommend",
    "PopularityRecommender": "recommend",
    "PersonalizeRecommender": "recommend",
    "evaluate": "recommend",
    "recommendations_frame": "recommend",
    "build_recommender": "backends",
    "build_catalog": "backends",
    "build_pipeline": "pipeline",
    "Pipeline": "pipeline",
    "UserResult": "pipeline",
    "ItemResult": "pipeline",
    "BatchReport": "batch",
    "read_results": "batch",
    "build_text_model": "backends",
    "build_image_model": "backends",
    "compose_poster": "poster",
    "contact_sheet": "poster",
    "contrast_ratio": "poster",
    "TextModel": "models",
    "ImageModel": "models",
    "FalconEndpoint": "models",
    "StableDiffusionEndpoint": "models",
    "BedrockText": "models",
    "BedrockImage": "models",
    "LocalTaglineWriter": "models",
    "LocalPosterArt": "models",
    "clean_tagline": "guard",
    "build_tagline_prompt": "prompts",
    "build_poster_prompt": "prompts",
    "taste_facet": "prompts",
    "parse_prompt_data": "prompts",
}

__all__ = [
    "ConfigError",
    "DataError",
    "GenerationError",
    "ProvisioningError",
    "RecommendationError",
    "Settings",
    "TaglinesError",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'taglines' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from .aws import make_client
    from .backends import build_catalog, build_image_model, build_recommender, build_text_model
    from .batch import BatchReport, read_results
    from .data import Catalog, Item, User
    from .guard import clean_tagline
    from .models import (
        BedrockImage,
        BedrockText,
        FalconEndpoint,
        ImageModel,
        LocalPosterArt,
        LocalTaglineWriter,
        StableDiffusionEndpoint,
        TextModel,
    )
    from .pipeline import ItemResult, Pipeline, UserResult, build_pipeline
    from .poster import compose_poster, contact_sheet, contrast_ratio
    from .prompts import build_poster_prompt, build_tagline_prompt, parse_prompt_data, taste_facet
    from .recommend import (
        LocalRecommender,
        PersonalizeRecommender,
        PopularityRecommender,
        Recommendation,
        Recommender,
        evaluate,
        recommendations_frame,
    )
    from .storage import load_catalog, upload_dataset
