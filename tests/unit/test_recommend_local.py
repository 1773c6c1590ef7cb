"""Local recommender: unseen items only, n honoured, deterministic, cold start, beats popularity."""

from __future__ import annotations

import pandas as pd
import pytest

from taglines import (
    ConfigError,
    LocalRecommender,
    PopularityRecommender,
    RecommendationError,
    evaluate,
    recommendations_frame,
)
from taglines.recommend import leave_last_out


@pytest.fixture(scope="module")
def model(movies):
    return LocalRecommender.fit(movies)


def test_never_recommends_what_the_user_already_interacted_with(movies, model):
    for user_id in movies.users["USER_ID"].head(40):
        seen = set(movies.history(user_id)["ITEM_ID"])
        recs = model.recommend(user_id, n=20)
        assert not seen & {r.item_id for r in recs}


@pytest.mark.parametrize("n", [1, 3, 10, 25])
def test_n_is_honoured_and_scores_descend(model, n):
    recs = model.recommend("u0001", n=n)
    assert len(recs) == n
    assert len({r.item_id for r in recs}) == n
    scores = [r.score for r in recs]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("n", [0, -1, 501, 2.5, True])
def test_invalid_n_is_rejected(model, n):
    with pytest.raises(ConfigError, match="n must be"):
        model.recommend("u0001", n=n)


def test_deterministic_across_fits(movies, model):
    again = LocalRecommender.fit(movies)
    for user_id in ("u0001", "u0002", "u0050"):
        assert again.recommend(user_id, 10) == model.recommend(user_id, 10)


def test_recommendations_follow_the_users_taste(movies, model):
    """A thriller fan and a romance fan get different lists, each led by their genres."""
    for user_id in ("u0001", "u0002", "u0005"):
        favorite = movies.user(user_id).favorite_genres[0]
        recs = model.recommend(user_id, n=5)
        on_taste = sum(favorite in movies.item(r.item_id).genres for r in recs)
        assert on_taste >= 3, (user_id, favorite)
    thriller = {r.item_id for r in model.recommend("u0001", 5)}
    romance = {r.item_id for r in model.recommend("u0002", 5)}
    assert not thriller & romance


def test_cold_users(movies):
    """No interactions: stated favourites drive it. Unknown id: the most popular items."""
    interactions = movies.interactions[movies.interactions["USER_ID"] != "u0002"]
    model = LocalRecommender.fit(movies.with_interactions(interactions))
    recs = model.recommend("u0002", n=5)
    assert all(
        set(movies.user("u0002").favorite_genres) & set(movies.item(r.item_id).genres) for r in recs
    )
    popular = PopularityRecommender.fit(movies).recommend("stranger", n=3)
    assert [r.item_id for r in model.recommend("stranger", n=3)] == [r.item_id for r in popular]


def test_genre_and_exclude_filters(movies, model):
    recs = model.recommend("u0001", n=5, genre="Comedy")
    assert recs and all("Comedy" in movies.item(r.item_id).genres for r in recs)
    first = model.recommend("u0001", n=1)[0].item_id
    assert first not in {r.item_id for r in model.recommend("u0001", n=5, exclude=[first])}
    with pytest.raises(RecommendationError, match="unknown genre 'Polka'"):
        model.recommend("u0001", genre="Polka")


def test_works_on_the_retail_domain(retail):
    model = LocalRecommender.fit(retail)
    recs = model.recommend("s0001", n=5)
    assert all(retail.item(r.item_id).genres[0] in ("outdoors", "fitness") for r in recs)


def test_leave_last_out_holds_out_the_latest_item_entirely(movies):
    train, held = leave_last_out(movies)
    assert len(held) == len(movies.users)
    latest = movies.interactions.sort_values("TIMESTAMP").groupby("USER_ID").tail(1)
    for row in latest.head(20).itertuples():
        assert held[row.USER_ID] == row.ITEM_ID
        mine = train.interactions[train.interactions["USER_ID"] == row.USER_ID]
        assert row.ITEM_ID not in set(mine["ITEM_ID"])


def test_local_recommender_beats_popularity(movies, retail):
    for catalog in (movies, retail):
        table = evaluate(catalog, k=10).set_index("recommender")["hit_rate@10"]
        assert table[LocalRecommender.name] > 1.5 * table[PopularityRecommender.name]


def test_recommendations_frame_joins_titles_and_keeps_unknown_items(movies, model):
    recs = [*model.recommend("u0001", n=2), type(model.recommend("u0001", 1)[0])("zz-unknown", 0.1)]
    frame = recommendations_frame(recs, movies)
    assert list(frame["rank"]) == [1, 2, 3]
    assert frame.loc[0, "TITLE"] == movies.item(recs[0].item_id).title
    assert frame.loc[2, "ITEM_ID"] == "zz-unknown" and pd.isna(frame.loc[2, "TITLE"])
