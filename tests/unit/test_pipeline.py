"""Pipeline.run and friends in local mode and with scripted models."""

from __future__ import annotations

import threading

import pytest

from taglines import (
    ConfigError,
    GenerationError,
    Pipeline,
    Recommendation,
    RecommendationError,
    Settings,
    build_pipeline,
)
from taglines.models import LocalPosterArt, LocalTaglineWriter
from taglines.pipeline import LOCAL_BADGE
from taglines.recommend import LocalRecommender
from tests.fakes import CountingArt, ScriptedText


@pytest.fixture(scope="module")
def local(movies):
    return build_pipeline(Settings(), catalog=movies)


def _pipeline(movies, text=None, image=None, recommender=None, **kwargs):
    return Pipeline(
        movies,
        recommender or LocalRecommender.fit(movies),
        text or LocalTaglineWriter(),
        image or LocalPosterArt(),
        settings=Settings(mode="local"),
        **kwargs,
    )


def test_run_gives_recommendations_taglines_and_posters(local):
    result = local.run("u0001", n=3)
    assert list(result.recommendations.columns) == [
        "rank",
        "ITEM_ID",
        "TITLE",
        "GENRES",
        "YEAR",
        "score",
    ]
    assert len(result.items) == 3 and len(result.posters) == 3
    assert [r.item.item_id for r in result.items] == list(result.recommendations["ITEM_ID"])
    for item in result.items:
        assert item.poster.size == (512, 768)
        assert item.facet in item.item.genres
        assert f"title: {item.item.title}" in item.prompt
        assert 1 <= len(item.tagline.split()) <= 16
    taglines = [r.tagline for r in result.items]
    assert len(set(taglines)) == len(taglines)  # no repeats for one viewer
    assert list(result.taglines.columns) == ["TITLE", "GENRES", "facet", "tagline"]
    assert result.grid(columns=3).width > 3 * 200


def test_local_mode_says_so_everywhere(local):
    assert "LOCAL MODE" in str(local)
    assert local.describe()["local"].all()
    poster = local.run("u0002", n=1).posters[0]
    assert poster.crop((0, 0, 150, 40)).getextrema()[0][0] == 0  # the black LOCAL PREVIEW badge
    assert LOCAL_BADGE == "LOCAL PREVIEW"


def test_text_and_image_calls_for_one_user_run_concurrently(movies):
    meeting = threading.Barrier(2, timeout=10)

    class Text(ScriptedText):
        def generate(self, prompt, **params):
            meeting.wait()  # only returns if an image call is in flight at the same time
            return super().generate(prompt, **params)

    class Art(CountingArt):
        def generate(self, prompt, **params):
            meeting.wait()
            return super().generate(prompt, **params)

    result = _pipeline(movies, Text(), Art(), concurrency=2).run("u0001", n=1)
    assert len(result.items) == 1


def test_art_is_made_once_per_movie_and_facet(movies):
    art = CountingArt()
    pipeline = _pipeline(movies, image=art)
    first = pipeline.run("u0001", n=3)
    again = pipeline.run("u0001", n=3)
    assert len(art.calls) == 3 and pipeline.calls["image"] == 3
    assert [p.tobytes() for p in first.posters] == [p.tobytes() for p in again.posters]


def test_a_refusal_is_retried_once_then_reported(movies):
    text = ScriptedText(
        answers=["I'm sorry, I can't help with that.", "Tagline: Ride at your own risk."]
    )
    result = _pipeline(movies, text=text).run("u0001", n=1)
    assert result.items[0].tagline == "Ride at your own risk."
    stubborn = ScriptedText(answers=["As an AI, I cannot."] * 2)
    with pytest.raises(GenerationError, match="refused"):
        _pipeline(movies, text=stubborn).run("u0001", n=1)


def test_repeated_taglines_are_rewritten_with_the_others_listed(movies):
    text = ScriptedText(answers=["Same line.", "Same line.", "Other line.", "Fresh line."])
    result = _pipeline(movies, text=text, concurrency=1).run("u0001", n=3)
    assert len({r.tagline for r in result.items}) == 3
    assert "Already used for this viewer" in text.prompts[-1]


def test_items_missing_from_the_catalog(movies):
    class Remote:
        name = "remote"

        def __init__(self, ids):
            self.ids = ids

        def recommend(self, user_id, n=5, **filters):
            return [Recommendation(i, 0.5) for i in self.ids][:n]

    result = _pipeline(movies, recommender=Remote(["zz-unknown", "m0001"])).run("u0001", n=2)
    assert [r.item.item_id for r in result.items] == ["m0001"] and result.items[0].rank == 2
    with pytest.raises(RecommendationError, match="different items dataset"):
        _pipeline(movies, recommender=Remote(["zz1", "zz2"])).run("u0001", n=2)


def test_compare_and_showcase(local):
    movie, users = local.showcase(k=3)
    assert len(users) == 3
    table = local.compare(movie, users)
    genres = set(local.catalog.item(movie).genres)
    assert len(set(table["facet"])) == 3 and set(table["facet"]) <= genres
    assert table["tagline"].is_unique
    assert all(p.size == (512, 768) for p in table["poster"])


def test_prompt_for_matches_what_run_sends(movies):
    text = ScriptedText()
    pipeline = _pipeline(movies, text=text)
    result = pipeline.run("u0003", n=1)
    assert pipeline.prompt_for("u0003", result.items[0].item.item_id) == text.prompts[0]


def test_bad_concurrency(movies):
    with pytest.raises(ConfigError, match="concurrency must be at least 1"):
        _pipeline(movies, concurrency=0)
    with pytest.raises(ConfigError, match="image_concurrency must be at least 1"):
        _pipeline(movies, image_concurrency=0)
    assert _pipeline(movies, concurrency=4, text_concurrency=9).text_concurrency == 4
