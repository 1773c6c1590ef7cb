"""Recommenders: Amazon Personalize (real time) and a local item-item + taste model."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from .data import Catalog
from .errors import ConfigError, RecommendationError

log = logging.getLogger(__name__)

# Personalize's limits on numResults (AWS docs: 500, or 50 with item metadata).
MAX_RESULTS = 500
MAX_RESULTS_WITH_METADATA = 50


@dataclass(frozen=True)
class Recommendation:
    """One recommended item: its id, the recommender's score and any returned metadata."""

    item_id: str
    score: float | None = None
    metadata: Mapping[str, str] = field(default_factory=dict, hash=False)


@runtime_checkable
class Recommender(Protocol):
    """Anything that can recommend items for a user."""

    name: str

    def recommend(self, user_id: str, n: int = 5, **filters: Any) -> list[Recommendation]: ...


def _check_n(n: int, limit: int = MAX_RESULTS) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= limit:
        raise ConfigError(f"n must be a whole number from 1 to {limit}, got {n!r}")
    return int(n)


# -- local ------------------------------------------------------------------------------------


_EVENT_WEIGHTS = {"Watch": 1.0, "Purchase": 1.0, "Click": 0.5, "View": 0.5}


class LocalRecommender:
    """Item-item cosine similarity on interactions, blended with the user's genre affinity.

    Scores for a user are a weighted sum of three parts, each scaled to [0, 1]:
    similarity of each item to what the user interacted with (item-item cosine), how well the
    item's genres match the user's (watched genres plus stated favourites), and popularity.
    Users without interactions get taste + popularity; unknown users get popularity alone.
    Items the user already interacted with are never recommended. Deterministic: ties break by
    item id.

    Example:
        >>> recommender = LocalRecommender.fit(catalog)  # doctest: +SKIP
        >>> [r.item_id for r in recommender.recommend("u0001", n=3)]  # doctest: +SKIP
        ['m0042', 'm0107', 'm0013']
    """

    name = "local item-item + genre affinity"

    def __init__(
        self,
        catalog: Catalog,
        item_ids: np.ndarray,
        similarity: np.ndarray,
        genre_matrix: np.ndarray,
        genre_names: list[str],
        user_rows: dict[str, np.ndarray],
        popularity: np.ndarray,
        weights: tuple[float, float, float],
    ) -> None:
        self.catalog = catalog
        self._item_ids = item_ids
        self._index = {item_id: i for i, item_id in enumerate(item_ids)}
        self._similarity = similarity
        self._genres = genre_matrix
        self._genre_names = genre_names
        self._user_rows = user_rows
        self._popularity = popularity
        self.weights = weights

    @classmethod
    def fit(
        cls,
        catalog: Catalog,
        *,
        cf_weight: float = 0.3,
        taste_weight: float = 0.6,
        popularity_weight: float = 0.1,
    ) -> LocalRecommender:
        """Fit on a catalog's interactions.

        Args:
            catalog: users, items and interactions.
            cf_weight: weight of item-item similarity.
            taste_weight: weight of genre affinity.
            popularity_weight: weight of popularity.

        Returns:
            A fitted recommender.
        """
        item_ids = catalog.items["ITEM_ID"].to_numpy(dtype=object)
        index = {item_id: i for i, item_id in enumerate(item_ids)}
        inter = catalog.interactions
        weights = (
            inter["EVENT_TYPE"].map(_EVENT_WEIGHTS).fillna(1.0).to_numpy()
            if "EVENT_TYPE" in inter.columns
            else np.ones(len(inter))
        )
        # One weight per (user, item): the strongest event (a Watch after a Click counts 1).
        pairs = pd.DataFrame(
            {
                "USER_ID": inter["USER_ID"].to_numpy(),
                "ITEM": inter["ITEM_ID"].map(index),
                "W": weights,
            }
        )
        pairs = pairs.groupby(["USER_ID", "ITEM"], sort=True)["W"].max().reset_index()
        users = pairs["USER_ID"].unique()
        user_index = {u: i for i, u in enumerate(users)}
        matrix = np.zeros((len(users), len(item_ids)))
        matrix[pairs["USER_ID"].map(user_index).to_numpy(), pairs["ITEM"].to_numpy()] = pairs["W"]

        norms = np.linalg.norm(matrix, axis=0)
        norms[norms == 0] = 1.0
        normalized = matrix / norms
        similarity = normalized.T @ normalized
        np.fill_diagonal(similarity, 0.0)

        genre_names = sorted({g for gs in catalog.item_genres.values() for g in gs})
        genre_index = {g: i for i, g in enumerate(genre_names)}
        genre_matrix = np.zeros((len(item_ids), len(genre_names)))
        for item_id, genres in catalog.item_genres.items():
            for g in genres:
                genre_matrix[index[item_id], genre_index[g]] = 1.0

        popularity = matrix.astype(bool).sum(axis=0).astype(float)
        user_rows = {u: matrix[user_index[u]] for u in users}
        total = cf_weight + taste_weight + popularity_weight
        if total <= 0 or min(cf_weight, taste_weight, popularity_weight) < 0:
            raise ConfigError("recommender weights must be non-negative and not all zero")
        return cls(
            catalog,
            item_ids,
            similarity,
            genre_matrix,
            genre_names,
            user_rows,
            popularity,
            (cf_weight / total, taste_weight / total, popularity_weight / total),
        )

    def _taste(self, user_id: str, row: np.ndarray | None) -> np.ndarray:
        profile = np.zeros(len(self._genre_names))
        if row is not None:
            profile += row @ self._genres
        if self.catalog.has_user(user_id):
            favorites = self.catalog.user(user_id).favorite_genres
            bonus = max(1.0, profile.max() if profile.size else 1.0)
            for rank, genre in enumerate(favorites):
                if genre in self._genre_names:
                    profile[self._genre_names.index(genre)] += bonus / (rank + 1)
        if not profile.any():
            return np.zeros(len(self._item_ids))
        profile = profile / np.linalg.norm(profile)
        counts = self._genres.sum(axis=1)
        counts[counts == 0] = 1.0
        # Dot product over sqrt(#genres): a multi-genre item is not favoured just for breadth.
        return (self._genres @ profile) / np.sqrt(counts)

    def scores(self, user_id: str) -> np.ndarray:
        """Blended score for every item (seen items included), in ``catalog.items`` order."""
        row = self._user_rows.get(str(user_id))
        cf = row @ self._similarity if row is not None else np.zeros(len(self._item_ids))
        parts = [_unit(cf), _unit(self._taste(str(user_id), row)), _unit(self._popularity)]
        return sum(w * p for w, p in zip(self.weights, parts, strict=True))

    def recommend(
        self,
        user_id: str,
        n: int = 5,
        *,
        genre: str | None = None,
        exclude: Iterable[str] = (),
    ) -> list[Recommendation]:
        """Top ``n`` items for ``user_id`` that the user has not interacted with.

        Args:
            user_id: any id; unknown users get the most popular items.
            n: how many items (1–500).
            genre: only items with this genre (category in the retail domain).
            exclude: item ids to leave out.

        Returns:
            Recommendations, best first, scores in [0, 1].
        """
        n = _check_n(n)
        scores = self.scores(user_id)
        allowed = np.ones(len(scores), dtype=bool)
        row = self._user_rows.get(str(user_id))
        if row is not None:
            allowed &= row == 0
        if genre is not None:
            if genre not in self._genre_names:
                raise RecommendationError(
                    f"unknown genre {genre!r}: the catalog has {', '.join(self._genre_names)}"
                )
            allowed &= self._genres[:, self._genre_names.index(genre)] > 0
        for item_id in exclude:
            if item_id in self._index:
                allowed[self._index[item_id]] = False
        candidates = np.flatnonzero(allowed)
        # Sort by score descending, then item id ascending: deterministic ties.
        order = sorted(candidates, key=lambda i: (-scores[i], self._item_ids[i]))[:n]
        return [Recommendation(str(self._item_ids[i]), round(float(scores[i]), 6)) for i in order]


def _unit(values: np.ndarray) -> np.ndarray:
    top = values.max() if values.size else 0.0
    return values / top if top > 0 else values


class PopularityRecommender:
    """Most-interacted items the user has not seen: the baseline the local model must beat."""

    name = "popularity"

    def __init__(self, catalog: Catalog) -> None:
        counts = catalog.interactions.drop_duplicates(["USER_ID", "ITEM_ID"])[
            "ITEM_ID"
        ].value_counts()
        ranked = counts.reindex(catalog.items["ITEM_ID"], fill_value=0)
        frame = pd.DataFrame({"item": ranked.index, "count": ranked.to_numpy()})
        frame = frame.sort_values(["count", "item"], ascending=[False, True])
        top = max(1, frame["count"].max())
        self._ranked = list(zip(frame["item"], frame["count"] / top, strict=True))
        self._seen = catalog.interactions.groupby("USER_ID")["ITEM_ID"].agg(set).to_dict()

    @classmethod
    def fit(cls, catalog: Catalog) -> PopularityRecommender:
        return cls(catalog)

    def recommend(self, user_id: str, n: int = 5) -> list[Recommendation]:
        n = _check_n(n)
        seen = self._seen.get(str(user_id), set())
        picks = [(i, s) for i, s in self._ranked if i not in seen][:n]
        return [Recommendation(str(i), round(float(s), 6)) for i, s in picks]


# -- Amazon Personalize -----------------------------------------------------------------------


class PersonalizeRecommender:
    """Real-time recommendations from an Amazon Personalize recommender or campaign.

    Args:
        recommender_arn: a domain recommender (e.g. VIDEO_ON_DEMAND top picks).
        campaign_arn: a campaign for a custom solution. Exactly one of the two ARNs.
        client: a ``personalize-runtime`` boto3 client (see :func:`taglines.make_client`).
        filter_arn: a Personalize filter applied to every call (values via ``recommend``).
        metadata_columns: item columns to return with each item; the recommender must have
            been created with ``enableMetadataWithRecommendations`` (extra cost).

    Example:
        >>> rec = PersonalizeRecommender(recommender_arn=arn, client=runtime)  # doctest: +SKIP
        >>> rec.recommend("u0001", n=3)  # doctest: +SKIP
        [Recommendation(item_id='m0042', score=0.31, metadata={}), ...]
    """

    name = "Amazon Personalize"

    def __init__(
        self,
        *,
        recommender_arn: str | None = None,
        campaign_arn: str | None = None,
        client: Any = None,
        filter_arn: str | None = None,
        metadata_columns: Sequence[str] = (),
    ) -> None:
        if bool(recommender_arn) == bool(campaign_arn):
            raise ConfigError(
                "PersonalizeRecommender needs exactly one of recommender_arn "
                "(TAGLINES_RECOMMENDER_ARN) or campaign_arn (TAGLINES_CAMPAIGN_ARN)"
            )
        if len(metadata_columns) > 10:
            raise ConfigError("Personalize returns at most 10 metadata columns per item")
        if client is None:
            from .aws import make_client

            client = make_client("personalize-runtime")
        self.arn = recommender_arn or campaign_arn
        self._arn_param = (
            {"recommenderArn": recommender_arn}
            if recommender_arn
            else {"campaignArn": campaign_arn}
        )
        self.client = client
        self.filter_arn = filter_arn
        self.metadata_columns = tuple(metadata_columns)

    def recommend(
        self,
        user_id: str,
        n: int = 5,
        *,
        context: Mapping[str, str] | None = None,
        **filter_values: str | Sequence[str],
    ) -> list[Recommendation]:
        """Ask Personalize for ``n`` items for ``user_id``.

        Args:
            user_id: the user id Personalize was trained with.
            n: ``numResults`` (1–500, or 1–50 with metadata columns).
            context: contextual metadata, e.g. ``{"DEVICE": "mobile"}``.
            **filter_values: values for the filter's placeholders. A string is passed as is
                (Personalize wants each value in double quotes); a list of strings becomes
                ``"a","b"``.

        Returns:
            Recommendations in Personalize's order.

        Raises:
            RecommendationError: naming the ARN and what to check.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        limit = MAX_RESULTS_WITH_METADATA if self.metadata_columns else MAX_RESULTS
        request: dict[str, Any] = {
            **self._arn_param,
            "userId": str(user_id),
            "numResults": _check_n(n, limit),
        }
        if filter_values and not self.filter_arn:
            raise ConfigError(
                f"filter values {sorted(filter_values)} given but no filter: set "
                "TAGLINES_FILTER_ARN (or filter_arn=) to a Personalize filter ARN"
            )
        if self.filter_arn:
            request["filterArn"] = self.filter_arn
            if filter_values:
                request["filterValues"] = {k: _filter_value(v) for k, v in filter_values.items()}
        if context:
            request["context"] = dict(context)
        if self.metadata_columns:
            request["metadataColumns"] = {"ITEMS": list(self.metadata_columns)}
        try:
            response = self.client.get_recommendations(**request)
        except ClientError as exc:
            raise self._translate(exc) from exc
        except BotoCoreError as exc:
            raise RecommendationError(
                f"could not reach Amazon Personalize for {self.arn}: {exc}; check network "
                "access and credentials, or run in local mode (TAGLINES_MODE=local)"
            ) from exc
        return _parse_item_list(response, self.arn)

    def _translate(self, exc: Any) -> RecommendationError:
        error = exc.response.get("Error", {})
        code, message = error.get("Code", ""), error.get("Message", "")
        region = self.client.meta.region_name
        if code == "ResourceNotFoundException":
            return RecommendationError(
                f"Personalize resource {self.arn} not found in {region}: check the ARN, the "
                "region, and that the recommender/campaign is ACTIVE (aws personalize "
                "describe-recommender --recommender-arn …); create one with `python -m taglines "
                "provision --only personalize`"
            )
        if code == "InvalidInputException":
            return RecommendationError(
                f"Personalize rejected the request to {self.arn}: {message}; check the user id, "
                "numResults, filter values and that metadata columns are enabled on the recommender"
            )
        if code in ("AccessDeniedException", "UnrecognizedClientException"):
            return RecommendationError(
                f"not allowed to call personalize:GetRecommendations on {self.arn}: {message}; "
                "grant that action to your role"
            )
        return RecommendationError(f"Personalize call to {self.arn} failed ({code}): {message}")


def _filter_value(value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value
    return ",".join(f'"{v}"' for v in value)


def _parse_item_list(response: Mapping[str, Any], arn: str | None) -> list[Recommendation]:
    items = response.get("itemList")
    if not isinstance(items, list):
        raise RecommendationError(
            f"Personalize response from {arn} has no itemList: {str(response)[:200]}"
        )
    result = []
    for entry in items:
        item_id = entry.get("itemId") if isinstance(entry, Mapping) else None
        if not item_id:
            raise RecommendationError(
                f"Personalize returned an item without itemId from {arn}: {entry!r}"
            )
        score = entry.get("score")
        metadata = entry.get("metadata") or {}
        result.append(
            Recommendation(str(item_id), None if score is None else float(score), dict(metadata))
        )
    return result


# -- evaluation -------------------------------------------------------------------------------


def leave_last_out(catalog: Catalog) -> tuple[Catalog, dict[str, str]]:
    """Split off each user's most recent item (all their interactions with it) as the test set.

    Users with fewer than two distinct items are kept whole and not tested.
    """
    inter = catalog.interactions.sort_values(["TIMESTAMP", "ITEM_ID"], kind="stable")
    distinct = inter.groupby("USER_ID")["ITEM_ID"].nunique()
    last = inter.groupby("USER_ID").tail(1).set_index("USER_ID")["ITEM_ID"]
    held = {u: i for u, i in last.items() if distinct.get(u, 0) >= 2}
    held_pairs = pd.Series(held, dtype=object)
    mask = inter["ITEM_ID"].to_numpy() == inter["USER_ID"].map(held_pairs).to_numpy()
    return catalog.with_interactions(inter[~mask]), held


def evaluate(catalog: Catalog, *, k: int = 10) -> pd.DataFrame:
    """Leave-last-out HitRate@k of the local recommender against the popularity baseline.

    Args:
        catalog: the dataset to evaluate on.
        k: list length.

    Returns:
        One row per recommender: ``recommender``, ``users``, ``hits``, ``hit_rate``.

    Example:
        >>> evaluate(load_catalog("data/movies"))  # doctest: +SKIP
    """
    train, held = leave_last_out(catalog)
    rows = []
    for model in (PopularityRecommender.fit(train), LocalRecommender.fit(train)):
        hits = sum(
            any(r.item_id == item for r in model.recommend(user, n=k))
            for user, item in held.items()
        )
        rows.append(
            {
                "recommender": model.name,
                "users": len(held),
                "hits": hits,
                f"hit_rate@{k}": round(hits / max(1, len(held)), 3),
            }
        )
    return pd.DataFrame(rows)


def recommendations_frame(
    recommendations: Sequence[Recommendation], catalog: Catalog
) -> pd.DataFrame:
    """Recommendations as a table with titles and genres from the catalog, rank from 1.

    Items the catalog does not know (a recommender trained on other data) keep their id and
    score with empty metadata, so nothing is hidden.
    """
    rows = []
    for rank, rec in enumerate(recommendations, start=1):
        known = catalog.has_item(rec.item_id)
        item = catalog.item(rec.item_id) if known else None
        rows.append(
            {
                "rank": rank,
                "ITEM_ID": rec.item_id,
                "TITLE": item.title if item else None,
                "GENRES": "|".join(item.genres) if item else None,
                "YEAR": item.year if item else None,
                "score": rec.score,
            }
        )
    return pd.DataFrame(rows, columns=["rank", "ITEM_ID", "TITLE", "GENRES", "YEAR", "score"])
