"""Local stand-in for the image model: procedural poster art from the real poster prompt.

The facet named in the prompt picks a genre palette and words of the key visual pick motifs;
the same prompt and seed give the same image, labelled local in ``image.info``.
"""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING, Any

from ..prompts import GENRE_MOODS
from ..seeds import stable_seed
from .codecs import label_image

if TYPE_CHECKING:
    from PIL import Image

# (sky top, sky bottom, accent) per genre.
PALETTES: dict[str, tuple[tuple[int, int, int], ...]] = {
    "Action": ((24, 18, 40), (214, 92, 30), (255, 196, 80)),
    "Adventure": ((38, 92, 120), (236, 180, 96), (255, 226, 140)),
    "Animation": ((120, 180, 230), (250, 214, 226), (255, 250, 200)),
    "Comedy": ((90, 190, 235), (255, 226, 120), (255, 120, 90)),
    "Crime": ((10, 12, 26), (40, 30, 70), (255, 60, 140)),
    "Documentary": ((60, 90, 110), (190, 200, 190), (240, 240, 220)),
    "Drama": ((70, 60, 80), (200, 150, 110), (250, 220, 170)),
    "Family": ((70, 110, 190), (250, 190, 120), (255, 240, 170)),
    "Fantasy": ((30, 20, 70), (120, 60, 140), (120, 255, 220)),
    "Horror": ((6, 8, 10), (40, 48, 52), (180, 20, 20)),
    "Musical": ((40, 10, 60), (200, 40, 120), (255, 210, 90)),
    "Mystery": ((16, 30, 34), (70, 96, 90), (230, 210, 140)),
    "Romance": ((120, 60, 110), (255, 170, 140), (255, 236, 200)),
    "Sci-Fi": ((4, 6, 30), (40, 40, 120), (120, 220, 255)),
    "Thriller": ((8, 16, 32), (50, 80, 110), (200, 230, 255)),
    "War": ((40, 36, 30), (150, 110, 70), (255, 150, 60)),
    "Western": ((110, 50, 30), (245, 170, 80), (255, 230, 150)),
}
DEFAULT_PALETTE = ((30, 30, 50), (140, 120, 160), (250, 230, 200))

MOTIFS = {
    "moon": ("moon", "lantern", "night"),
    "sun": ("sun", "sunset", "dawn", "golden", "dusk", "eclipse", "noon"),
    "skyline": (
        "city",
        "skyline",
        "skyscraper",
        "megacity",
        "street",
        "tower",
        "casino",
        "rooftop",
    ),
    "water": (
        "sea",
        "ocean",
        "lake",
        "harbor",
        "lagoon",
        "pier",
        "dock",
        "puddle",
        "river",
        "ice floe",
    ),
    "mountains": ("mountain", "ridge", "cliff", "canyon", "mesa", "valley", "dune", "desert"),
    "trees": ("forest", "jungle", "tree", "orchard", "field", "wheat", "vineyard"),
    "stars": ("star", "galaxy", "milky way", "nebula", "planet", "space", "astronaut", "cosmic"),
    "rain": ("rain", "storm", "wet"),
    "snow": ("snow", "blizzard", "frozen", "winter", "ice"),
    "figure": (
        "figure",
        "silhouette",
        "rider",
        "astronaut",
        "couple",
        "soldier",
        "explorer",
        "cowboy",
        "girl",
        "dancer",
    ),
    "glow": ("fire", "explod", "burning", "spotlight", "neon", "glow", "light"),
}


def _genre_for(facet: str) -> str | None:
    for genre in GENRE_MOODS:
        if genre.lower() == facet.lower():
            return genre
    return None


class LocalPosterArt:
    """Procedural poster art from the poster prompt: genre palette, gradient, motifs.

    The facet named in the prompt ("Poster art for a romance film: …") picks the palette;
    words of the key visual pick motifs (moon, skyline, water, mountains, figures, …).
    Deterministic for the same prompt and seed; labelled as local in ``image.info``.

    Example:
        >>> art = LocalPosterArt().generate(build_poster_prompt(item, taste="Romance")[0])  # doctest: +SKIP
    """

    name = "local procedural art (no AWS)"
    is_local = True

    def generate(
        self,
        prompt: str,
        *,
        negative_prompt: str | None = None,
        width: int = 512,
        height: int = 512,
        seed: int | None = None,
        **params: Any,
    ) -> Image.Image:
        import numpy as np
        from PIL import Image, ImageDraw, ImageFilter

        match = re.search(r"art for an? (.+?) film:\s*([^.]*)", prompt, re.I)
        genre = _genre_for(match.group(1)) if match else None
        visual = (match.group(2) if match else prompt).lower()
        top, bottom, accent = PALETTES.get(genre or "", DEFAULT_PALETTE)
        rng = random.Random(stable_seed(prompt, seed))
        motifs = {name for name, words in MOTIFS.items() if any(w in visual for w in words)}

        # Vertical gradient sky, slightly curved so it doesn't look flat.
        t = np.linspace(0.0, 1.0, height)[:, None] ** 1.3
        x = np.linspace(-1.0, 1.0, width)[None, :]
        t = np.clip(t + 0.06 * x**2, 0.0, 1.0)
        pixels = np.empty((height, width, 3))
        for c in range(3):
            pixels[:, :, c] = top[c] * (1 - t) + bottom[c] * t
        image = Image.fromarray(pixels.astype(np.uint8), "RGB")
        draw = ImageDraw.Draw(image, "RGBA")
        horizon = int(height * rng.uniform(0.62, 0.74))

        def shade(
            color: tuple[int, int, int], k: float, alpha: int = 255
        ) -> tuple[int, int, int, int]:
            return (*(max(0, min(255, int(v * k))) for v in color), alpha)

        if "stars" in motifs or genre in ("Sci-Fi", "Fantasy", "Horror") or "moon" in motifs:
            for _ in range(rng.randint(60, 140)):
                sx, sy, r = (
                    rng.randrange(width),
                    rng.randrange(int(horizon * 0.8)),
                    rng.choice([1, 1, 1, 2]),
                )
                draw.ellipse(
                    (sx - r, sy - r, sx + r, sy + r), fill=(255, 255, 240, rng.randint(90, 230))
                )
        orb = "moon" if "moon" in motifs or genre in ("Horror", "Mystery", "Fantasy") else "sun"
        if orb in motifs or "sun" in motifs or rng.random() < 0.6:
            cx, cy = (
                rng.randint(width // 5, 4 * width // 5),
                rng.randint(height // 8, horizon - height // 6),
            )
            radius = rng.randint(width // 10, width // 5)
            for ring in range(6, 0, -1):  # soft halo
                r = radius + ring * radius // 4
                draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=shade(accent, 1.0, 14))
            draw.ellipse(
                (cx - radius, cy - radius, cx + radius, cy + radius), fill=shade(accent, 1.0, 235)
            )
            if orb == "moon":
                off = radius // 3
                draw.ellipse(
                    (
                        cx - radius + off,
                        cy - radius - off // 2,
                        cx + radius + off,
                        cy + radius - off // 2,
                    ),
                    fill=shade(top, 1.0, 200),
                )
        if "mountains" in motifs or genre in ("Adventure", "Western", "War") or not motifs:
            for layer, k in ((0, 0.55), (1, 0.35)):
                points = [(0, horizon)]
                for px in range(0, width + 64, 64):
                    points.append(
                        (px, horizon - rng.randint(height // 14, height // 4) // (layer + 1))
                    )
                points += [(width, height), (0, height)]
                draw.polygon(points, fill=shade(bottom, k))
        if "skyline" in motifs or genre in ("Crime", "Thriller", "Action"):
            px = 0
            while px < width:
                w = rng.randint(width // 20, width // 9)
                h = rng.randint(height // 10, height // 3)
                draw.rectangle((px, horizon - h, px + w, height), fill=shade(top, 0.6))
                for wy in range(horizon - h + 8, horizon, 14):
                    for wx in range(px + 4, px + w - 4, 10):
                        if rng.random() < 0.35:
                            draw.rectangle((wx, wy, wx + 4, wy + 6), fill=shade(accent, 1.0, 200))
                px += w + rng.randint(0, 6)
        if "trees" in motifs:
            for _ in range(rng.randint(14, 26)):
                tx, th = rng.randrange(width), rng.randint(height // 12, height // 5)
                base = horizon + rng.randint(0, height // 12)
                draw.polygon(
                    [(tx, base - th), (tx - th // 3, base), (tx + th // 3, base)],
                    fill=shade(bottom, 0.3),
                )
        if "water" in motifs:
            draw.rectangle((0, horizon, width, height), fill=shade(top, 0.9, 230))
            for wy in range(horizon + 4, height, 7):
                x0 = rng.randrange(width)
                draw.line(
                    (x0, wy, x0 + rng.randint(20, 90), wy), fill=shade(accent, 1.0, 90), width=2
                )
        else:
            draw.rectangle((0, horizon + height // 10, width, height), fill=shade(bottom, 0.25))
        if "figure" in motifs:
            fx, fh = rng.randint(width // 3, 2 * width // 3), height // 5
            fy = horizon + height // 40
            draw.ellipse(
                (fx - fh // 10, fy - fh, fx + fh // 10, fy - fh + fh // 5), fill=(8, 8, 12, 255)
            )
            draw.polygon(
                [
                    (fx - fh // 6, fy),
                    (fx + fh // 6, fy),
                    (fx + fh // 10, fy - fh + fh // 6),
                    (fx - fh // 10, fy - fh + fh // 6),
                ],
                fill=(8, 8, 12, 255),
            )
        if "glow" in motifs or genre in ("Musical", "Action"):
            for _ in range(rng.randint(20, 50)):
                gx, gy, r = rng.randrange(width), rng.randrange(height), rng.randint(2, 6)
                draw.ellipse(
                    (gx - r, gy - r, gx + r, gy + r), fill=shade(accent, 1.0, rng.randint(60, 160))
                )
        if "rain" in motifs:
            for _ in range(220):
                rx, ry = rng.randrange(width), rng.randrange(height)
                draw.line((rx, ry, rx - 4, ry + 16), fill=(200, 210, 230, 90), width=1)
        if "snow" in motifs:
            for _ in range(180):
                sx, sy, r = rng.randrange(width), rng.randrange(height), rng.choice([1, 2, 2, 3])
                draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(255, 255, 255, 170))

        # Vignette: darker corners, like a lens.
        yy, xx = np.mgrid[0:height, 0:width]
        dist = np.sqrt(
            ((xx - width / 2) / (width / 2)) ** 2 + ((yy - height / 2) / (height / 2)) ** 2
        )
        vignette = np.clip(1.15 - 0.45 * dist, 0.45, 1.0)[:, :, None]
        result = (np.asarray(image, dtype=float) * vignette).astype(np.uint8)
        art = Image.fromarray(result, "RGB").filter(ImageFilter.GaussianBlur(radius=0.6))
        return label_image(art, self.name)
