"""The one factory that turns Settings into backends: the only place that looks at the mode."""

from __future__ import annotations

from typing import Any

from .config import Settings
from .data import Catalog
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
