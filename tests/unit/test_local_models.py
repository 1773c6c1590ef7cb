"""Local stand-ins: deterministic, personalized, labelled, and answering the real prompts."""

from __future__ import annotations

import numpy as np
import pytest

from taglines import build_poster_prompt, build_tagline_prompt, clean_tagline, taste_facet
from taglines.models import ImageModel, LocalPosterArt, LocalTaglineWriter, TextModel
from taglines.models.codecs import SOURCE_KEY


@pytest.fixture(scope="module")
def writer():
    return LocalTaglineWriter()


def _prompt(catalog, user_id, item_id, **kwargs):
    return build_tagline_prompt(catalog.user(user_id), catalog.item(item_id), **kwargs)


def test_implements_the_interfaces():
    assert isinstance(LocalTaglineWriter(), TextModel) and isinstance(LocalPosterArt(), ImageModel)
    assert LocalTaglineWriter.is_local and "no AWS" in LocalTaglineWriter.name
    assert LocalPosterArt.is_local and "no AWS" in LocalPosterArt.name


def test_taglines_are_deterministic_short_and_clean(movies, writer):
    for item_id in movies.items["ITEM_ID"].head(60):
        for user_id in ("u0001", "u0002", "u0005"):
            prompt = _prompt(movies, user_id, item_id)
            line = writer.generate(prompt)
            assert line == writer.generate(prompt)
            assert 2 <= len(line.split()) <= 12
            assert clean_tagline(line) == line


def test_a_thriller_fan_and_a_romance_fan_get_different_taglines(movies, writer):
    """For movies with both genres, the facet decides the angle and the lines differ."""
    both = [
        r.ITEM_ID
        for r in movies.items.itertuples()
        if {"Thriller", "Romance"} <= set(r.GENRES.split("|"))
    ]
    assert both
    for item_id in both:
        thriller = writer.generate(_prompt(movies, "u0001", item_id))
        romance = writer.generate(_prompt(movies, "u0002", item_id))
        assert thriller != romance


def test_overall_variety_across_users(movies, writer):
    lines = {
        writer.generate(_prompt(movies, u, i))
        for u in movies.users["USER_ID"].head(12)
        for i in ("m0001", "m0002", "m0003")
    }
    assert len(lines) >= 6


def test_avoids_taglines_already_used(movies, writer):
    first = writer.generate(_prompt(movies, "u0001", "m0004"))
    second = writer.generate(_prompt(movies, "u0001", "m0004", others=[first]))
    assert second != first


def test_answers_any_prompt(writer):
    assert writer.generate("Write something nice.")  # no data blocks: a generic line, not a crash


def test_art_is_deterministic_sized_and_labelled(movies):
    artist = LocalPosterArt()
    prompt, negative = build_poster_prompt(movies.item("m0001"), taste="Crime")
    one = artist.generate(prompt, negative_prompt=negative, width=512, height=512, seed=3)
    two = artist.generate(prompt, negative_prompt=negative, width=512, height=512, seed=3)
    assert one.size == (512, 512) and one.mode == "RGB"
    assert np.array_equal(np.asarray(one), np.asarray(two))
    assert one.info[SOURCE_KEY] == LocalPosterArt.name
    assert artist.generate(prompt, width=256, height=384).size == (256, 384)


def test_art_follows_the_facet(movies):
    item = movies.item("m0002")
    artist = LocalPosterArt()
    horror = np.asarray(artist.generate(build_poster_prompt(item, taste="Horror")[0]), dtype=float)
    comedy = np.asarray(artist.generate(build_poster_prompt(item, taste="Comedy")[0]), dtype=float)
    assert comedy.mean() > horror.mean() + 30  # comedy is bright, horror is dark


def test_facet_of_prompt_and_art_agree(movies, writer):
    user, item = movies.user("u0002"), movies.item("m0100")
    facet = taste_facet(user, item)
    assert f"cares about most ({facet})" in build_tagline_prompt(user, item)
    assert build_poster_prompt(item, taste=facet)[0].startswith(
        f"Poster art for a {facet.lower()} film"
    )
