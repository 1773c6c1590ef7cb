"""Poster composition: art + title + tagline on a backdrop band with readable contrast, via Pillow."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    from PIL import Image, ImageFont

RGB = tuple[int, int, int]

#: WCAG 2 AA for normal text. The band is made darker until the text clears a safer 7:1.
MIN_CONTRAST = 4.5
TARGET_CONTRAST = 7.0
TEXT_COLOR: RGB = (255, 255, 255)


def relative_luminance(color: Sequence[int]) -> float:
    """WCAG 2 relative luminance of an sRGB color (0 black … 1 white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Sequence[int], b: Sequence[int]) -> float:
    """WCAG 2 contrast ratio between two colors, from 1 (none) to 21 (black on white).

    Example:
        >>> round(contrast_ratio((255, 255, 255), (0, 0, 0)), 1)
        21.0
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def band_color(
    average: Sequence[int], text: RGB = TEXT_COLOR, target: float = TARGET_CONTRAST
) -> RGB:
    """A backdrop color in the art's hue, darkened until ``text`` on it reaches ``target``.

    Example:
        >>> contrast_ratio((255, 255, 255), band_color((250, 250, 250))) >= 7
        True
    """
    base = [int(v) for v in average[:3]]
    for step in range(0, 101):
        k = 1 - step / 100
        color = (int(base[0] * k * 0.6), int(base[1] * k * 0.6), int(base[2] * k * 0.6))
        if contrast_ratio(text, color) >= target:
            return color
    return (0, 0, 0)


def _font_dir() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")  # locate, don't import (import is slow)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return folder if folder.is_dir() else None


@lru_cache(maxsize=64)
def load_font(style: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A TrueType font by style (``"title"`` or ``"tagline"``) and pixel size.

    DejaVu from matplotlib's bundled fonts when available (wide Unicode coverage), else
    Pillow's built-in scalable default font. No system fonts are assumed.
    """
    from PIL import ImageFont

    names = {
        "title": "DejaVuSans-Bold.ttf",
        "tagline": "DejaVuSerif-Italic.ttf",
        "badge": "DejaVuSans-Bold.ttf",
    }
    folder = _font_dir()
    if folder is not None and (folder / names[style]).is_file():
        return ImageFont.truetype(str(folder / names[style]), size)
    return ImageFont.load_default(size=size)


def _width(font: ImageFont.FreeTypeFont | ImageFont.ImageFont, text: str) -> float:
    return font.getlength(text)


def wrap_text(
    text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, max_width: float
) -> list[str]:
    """Greedy word wrap; words wider than ``max_width`` are split with a hyphen."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while _width(font, word) > max_width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and _width(font, word[:cut] + "-") > max_width:
                cut -= 1
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut] + "-")
            word = word[cut:]
        candidate = f"{current} {word}".strip()
        if _width(font, candidate) <= max_width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def fit_text(
    text: str, style: str, max_width: float, max_lines: int, sizes: Sequence[int]
) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, tuple[str, ...]]:
    """The largest font size at which ``text`` wraps into ``max_lines`` lines or fewer.

    Fewer lines win over a larger size (a one-line fit must stay in the top third of sizes);
    no word is split while some size fits it whole. At the smallest size, extra lines are
    dropped and the last kept line ends with "…". Results are cached: a movie's title is
    fitted once however many posters carry it.
    """
    return _fit_text(text, style, float(max_width), max_lines, tuple(sizes))


@lru_cache(maxsize=4096)
def _fit_text(
    text: str, style: str, max_width: float, max_lines: int, sizes: tuple[int, ...]
) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, tuple[str, ...]]:
    words = text.split()

    def lines_at(size: int) -> list[str] | None:
        font = load_font(style, size)
        if any(_width(font, w) > max_width for w in words):
            return None
        return wrap_text(text, font, max_width)

    for lines_allowed in range(1, max_lines + 1):
        candidates = sizes if lines_allowed > 1 else sizes[: len(sizes) // 3 + 1]
        # Sizes run largest first and a smaller font never needs more lines, so "fits" flips
        # from False to True once along the list: binary search for the first size that fits.
        lo, hi, found = 0, len(candidates) - 1, None
        while lo <= hi:
            mid = (lo + hi) // 2
            lines = lines_at(candidates[mid])
            if lines is not None and len(lines) <= lines_allowed:
                found, hi = (candidates[mid], lines), mid - 1
            else:
                lo = mid + 1
        if found is not None:
            return load_font(style, found[0]), tuple(found[1])
    font = load_font(style, sizes[-1])
    lines = wrap_text(text, font, max_width)
    if len(lines) <= max_lines:
        return font, tuple(lines)
    lines = lines[:max_lines]
    last = lines[-1]
    while last and _width(font, last + "…") > max_width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, tuple(lines)


def _line_height(font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> int:
    top, bottom = font.getbbox("ÁgjÉ|")[1::2]
    return int((bottom - top) * 1.18) + 1


def compose_poster(
    art: Image.Image,
    title: str,
    tagline: str,
    *,
    size: tuple[int, int] = (512, 768),
    badge: str | None = None,
) -> Image.Image:
    """A 2:3 poster: the art fitted to the frame, title and tagline on a readable band.

    The band's color comes from the art under it, darkened until white text has a contrast
    ratio of at least 7:1 (WCAG AA asks 4.5:1), so text stays readable on white, black or busy
    art. Long titles and words wrap and shrink to fit; fonts are bundled (DejaVu via
    matplotlib, or Pillow's default), covering accented and non-Latin text.

    Args:
        art: the poster art, any size (cover-cropped to the frame).
        title: the movie title.
        tagline: the personalized tagline.
        size: (width, height) of the poster in pixels.
        badge: a small label in the top-left corner, e.g. "LOCAL PREVIEW".

    Returns:
        A new RGB image of ``size``.

    Example:
        >>> poster = compose_poster(art, "Night Cab", "Every fare has a price.")  # doctest: +SKIP
        >>> poster.size  # doctest: +SKIP
        (512, 768)
    """
    from PIL import Image, ImageDraw, ImageOps, ImageStat

    width, height = size
    if width < 160 or height < 200:
        raise ConfigError(f"poster size {size} is too small; use at least 160×200 pixels")
    title = " ".join(str(title).split()) or "Untitled"
    tagline = " ".join(str(tagline).split())
    poster = ImageOps.fit(
        art.convert("RGB"), (width, height), Image.Resampling.LANCZOS, centering=(0.5, 0.35)
    )

    margin = max(12, width // 16)
    text_width = width - 2 * margin
    title_font, title_lines = fit_text(
        title.upper(), "title", text_width, 3, [s for s in range(width // 9, 13, -2)]
    )
    tag_font, tag_lines = (
        fit_text(tagline, "tagline", text_width, 3, [s for s in range(width // 18, 11, -1)])
        if tagline
        else (None, [])
    )
    title_h = _line_height(title_font) * len(title_lines)
    tag_h = _line_height(tag_font) * len(tag_lines) if tag_font else 0
    gap = margin // 2 if tag_lines else 0
    band_h = min(int(height * 0.5), max(int(height * 0.24), title_h + tag_h + gap + 2 * margin))
    band_top = height - band_h

    average = ImageStat.Stat(poster.crop((0, band_top, width, height))).mean
    band = band_color(average)
    fade = max(1, height // 8)
    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    odraw = ImageDraw.Draw(overlay)
    for y in range(fade):  # art dissolves into the band
        alpha = int(255 * (y + 1) / fade)
        odraw.line((0, band_top - fade + y, width, band_top - fade + y), fill=(*band, alpha))
    odraw.rectangle((0, band_top, width, height), fill=(*band, 255))
    poster = Image.alpha_composite(poster.convert("RGBA"), overlay)

    draw = ImageDraw.Draw(poster)
    y = band_top + margin
    for line in title_lines:
        x = (width - _width(title_font, line)) / 2
        draw.text((x, y), line, font=title_font, fill=TEXT_COLOR)
        y += _line_height(title_font)
    y += gap
    for line in tag_lines:
        x = (width - _width(tag_font, line)) / 2
        draw.text((x, y), line, font=tag_font, fill=TEXT_COLOR)
        y += _line_height(tag_font)

    if badge:
        font = load_font("badge", max(10, width // 34))
        pad = 4
        text_w = _width(font, badge)
        box = (
            margin // 2,
            margin // 2,
            margin // 2 + text_w + 2 * pad,
            margin // 2 + _line_height(font) + 2 * pad,
        )
        draw.rectangle(box, fill=(0, 0, 0, 255))
        draw.text((box[0] + pad, box[1] + pad), badge, font=font, fill=TEXT_COLOR)

    result = poster.convert("RGB")
    result.info.update(
        {k: v for k, v in art.info.items() if isinstance(v, str) and k.startswith("taglines.")}
    )
    result.info["taglines.band"] = ",".join(map(str, band))
    result.info["taglines.band_top"] = str(band_top)
    return result


def contact_sheet(
    images: Sequence[Image.Image], *, columns: int = 4, thumb_width: int = 256, gap: int = 8
) -> Image.Image:
    """Thumbnails of ``images`` in a grid on a dark background (for demos and notebooks)."""
    from PIL import Image

    if not images:
        raise ConfigError("contact_sheet needs at least one image")
    columns = max(1, min(columns, len(images)))
    thumbs = []
    for image in images:
        ratio = thumb_width / image.width
        thumbs.append(
            image.convert("RGB").resize((thumb_width, max(1, round(image.height * ratio))))
        )
    cell_h = max(t.height for t in thumbs)
    rows = (len(thumbs) + columns - 1) // columns
    sheet = Image.new(
        "RGB",
        (columns * thumb_width + (columns + 1) * gap, rows * cell_h + (rows + 1) * gap),
        (18, 18, 22),
    )
    for i, thumb in enumerate(thumbs):
        row, col = divmod(i, columns)
        sheet.paste(thumb, (gap + col * (thumb_width + gap), gap + row * (cell_h + gap)))
    return sheet
