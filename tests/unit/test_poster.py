"""Poster composition: sizes, fitting long and non-ASCII text, contrast on any art."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from taglines import ConfigError, compose_poster, contact_sheet, contrast_ratio
from taglines.poster import TEXT_COLOR, band_color, fit_text, load_font, relative_luminance


def busy_art(size=(512, 512), seed=1) -> Image.Image:
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3))
    return Image.frombytes("RGB", size, data)


ARTS = {
    "white": Image.new("RGB", (512, 512), (255, 255, 255)),
    "black": Image.new("RGB", (512, 512), (0, 0, 0)),
    "yellow": Image.new("RGB", (300, 900), (255, 230, 0)),
    "busy": busy_art(),
}


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast_ratio((10, 20, 30), (10, 20, 30)) == pytest.approx(1.0)
    assert contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert relative_luminance((255, 255, 255)) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "average", [(255, 255, 255), (0, 0, 0), (255, 230, 0), (128, 128, 128), (0, 255, 0)]
)
def test_band_color_always_reaches_the_target(average):
    assert contrast_ratio(TEXT_COLOR, band_color(average)) >= 7.0


@pytest.mark.parametrize("name", sorted(ARTS))
def test_text_background_contrast_on_any_art(name):
    poster = compose_poster(ARTS[name], "Night Cab", "Every fare has a price.")
    assert poster.size == (512, 768)
    band_top = int(poster.info["taglines.band_top"])
    band = poster.crop((0, band_top, 512, 768))
    counts = Counter(map(tuple, np.asarray(band).reshape(-1, 3).tolist()))
    background, share = counts.most_common(1)[0]
    assert share / (band.width * band.height) > 0.6  # a solid band, not the art showing through
    assert contrast_ratio(TEXT_COLOR, background) >= 4.5
    assert counts[TEXT_COLOR] > 500  # the text is really drawn on the band


@pytest.mark.parametrize("size", [(512, 768), (600, 900), (256, 384), (400, 400)])
def test_sizes(size):
    assert compose_poster(ARTS["busy"], "Title", "Tagline here.", size=size).size == size


def test_too_small_is_rejected():
    with pytest.raises(ConfigError, match="too small"):
        compose_poster(ARTS["white"], "T", "t", size=(50, 80))


def test_long_titles_and_words_stay_inside_the_margins():
    title = "Supercalifragilisticexpialidocious and the Extraordinarily Long Title of the Year"
    tagline = "A tagline that is much too long " * 6
    poster = compose_poster(ARTS["white"], title, tagline)
    band_top = int(poster.info["taglines.band_top"])
    background = tuple(int(v) for v in poster.info["taglines.band"].split(","))
    for x in list(range(0, 16)) + list(range(496, 512)):  # the side margins
        for y in range(band_top + 2, 768, 3):
            assert poster.getpixel((x, y)) == background, (x, y)


def test_fit_text_prefers_fewer_lines_and_never_splits_a_fitting_word():
    _font, lines = fit_text("THREE-LEGGED HERO", "title", 448, 3, list(range(56, 13, -2)))
    assert all(not line.endswith("-") or line.endswith("THREE-") for line in lines)
    assert "THREE-LEGGED" in " ".join(lines)
    _, lines = fit_text("word " * 200, "tagline", 200, 3, [14, 12])
    assert len(lines) == 3 and lines[-1].endswith("…")


@pytest.mark.parametrize("text", ["Amélie à Montréal", "Москва", "Ωmega", "Ñandú"])
def test_fonts_cover_non_ascii(text):
    font = load_font("title", 32)

    def glyph(char: str) -> bytes:
        mask = font.getmask(char)
        return bytes(mask) if mask.size[0] else b""

    missing = glyph("\uffff")  # a code point no font has: renders as the "notdef" box
    for char in text.replace(" ", ""):
        assert glyph(char) and glyph(char) != missing, char
    compose_poster(ARTS["black"], text, text)


def test_badge_is_drawn():
    plain = compose_poster(ARTS["white"], "T", "t")
    badged = compose_poster(ARTS["white"], "T", "t", badge="LOCAL PREVIEW")
    assert plain.getpixel((40, 40)) == (255, 255, 255)
    assert badged.crop((0, 0, 200, 60)).getextrema()[0][0] == 0  # the black badge is there


def test_art_source_label_is_kept():
    art = ARTS["busy"].copy()
    art.info["taglines.source"] = "local procedural art (no AWS)"
    assert compose_poster(art, "T", "t").info["taglines.source"] == "local procedural art (no AWS)"


def test_contact_sheet():
    sheet = contact_sheet(
        [ARTS["white"], ARTS["black"], ARTS["yellow"]], columns=2, thumb_width=100, gap=4
    )
    assert sheet.width == 2 * 100 + 3 * 4
    with pytest.raises(ConfigError):
        contact_sheet([])
