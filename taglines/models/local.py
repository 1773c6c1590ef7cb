"""Local stand-ins for the models: a template tagline writer and procedural poster art.

They answer the very prompts the real models get (the writer reads the prompt's ``<viewer>``
and ``<movie>`` blocks, the artist reads the poster prompt), so local mode runs the same code
path end to end. Output is deterministic and labelled as local.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import TYPE_CHECKING, Any

from ..prompts import GENRE_MOODS, parse_prompt_data
from .codecs import label_image

if TYPE_CHECKING:
    from PIL import Image

# Templates per genre facet. Slots: {title}, {hero}/{Hero} (the protagonist), {where}/{Where}
# (a prepositional phrase for the setting), {hook} (from the viewer's stated preferences).
TEMPLATES: dict[str, list[str]] = {
    "Thriller": [
        "{Where}, the truth has a body count.",
        "{Hero} knows too much. Now so will you.",
        "Trust no one {where}. Especially yourself.",
        "One secret. One night. No way out.",
        "Every move is watched. Every ally lies.",
        "The truth is buried. So are the people who found it.",
        "{Hero} has one night. The conspiracy has a head start.",
    ],
    "Mystery": [
        "Everyone {where} has an alibi. Someone is lying.",
        "{Hero} follows the clues. The clues follow back.",
        "The answer was hidden in plain sight all along.",
        "Every clue is a confession waiting to happen.",
        "One locked room. Six suspects. No easy answers.",
        "{Where}, every secret leaves a fingerprint.",
    ],
    "Crime": [
        "{Where}, the law is just another hustle.",
        "Every score has a price. {Hero} is about to pay it.",
        "Dirty money. Clean getaway. Almost.",
        "{Hero} planned the perfect job. The city had other plans.",
        "Everyone is on the take. Someone is about to pay.",
        "The law is for sale. {Hero} is not.",
    ],
    "Romance": [
        "{Where}, love takes the long way around.",
        "{Hero} planned everything except falling in love.",
        "Some hearts are worth the detour.",
        "The one who got away is back.",
        "Love was never in the itinerary.",
        "{Where}, two hearts run out of excuses.",
    ],
    "Comedy": [
        "{Hero}. One weekend. Zero chance of dignity.",
        "What could possibly go wrong {where}? Everything.",
        "The plan was simple. The people were not.",
        "Bad ideas. Great company. Zero regrets.",
        "{Where}, chaos is the only plan.",
    ],
    "Action": [
        "{Hero} has one last job and no way back.",
        "{Where}, the only way out is straight through.",
        "No brakes. No backup. No second chances.",
        "Fast, loud, and out of second chances.",
        "{Hero} is done running.",
    ],
    "Adventure": [
        "{Where}, the map runs out. The adventure doesn't.",
        "{Hero} went looking for treasure and found something bigger.",
        "Pack light. Leave fear behind.",
        "Every map ends somewhere. This one starts there.",
        "{Hero} just found the edge of the map.",
    ],
    "Sci-Fi": [
        "{Hero} answered the signal. Something answered back.",
        "{Where}, the future is already running out.",
        "First contact was the easy part.",
        "The signal was a warning. Nobody listened.",
        "Tomorrow is already here. It is not friendly.",
    ],
    "Horror": [
        "{Where}, something is waiting. It already knows your name.",
        "Some doors should stay closed. {Hero} opened one.",
        "Don't listen. Don't look. Don't sleep.",
        "It knows you are listening.",
        "{Hero} should have left the lights on.",
    ],
    "Fantasy": [
        "Magic always asks for something back.",
        "{Hero} never wanted a destiny. Destiny didn't ask.",
        "{Where}, legends belong to the ones who survive.",
        "Every crown has a curse.",
        "{Where}, the old magic is waking up.",
    ],
    "Family": [
        "The biggest adventures start in the backyard.",
        "Bring the whole crew. Nobody gets left behind.",
        "Home is wherever your people are.",
        "One summer. One secret. One very good dog.",
        "Adventure is best shared.",
    ],
    "Animation": [
        "Small hero. Big heart. Bigger adventure.",
        "{Hero} is about to prove small isn't weak.",
        "Every sky needs a little color.",
        "Big dreams come in small packages.",
        "{Where}, anything can happen.",
    ],
    "Drama": [
        "Some wounds heal. Some become home.",
        "{Where}, one choice changes everything.",
        "{Hero} has one more chance to make it right.",
        "Going home is the hardest journey.",
        "Some stories wait a lifetime to be told.",
    ],
    "Documentary": [
        "True story. Real people. Unforgettable.",
        "See the world the way they do.",
        "Nothing is more surprising than what really happened.",
        "Real lives. Real stakes. Remarkable people.",
    ],
    "Musical": [
        "One song can change a life.",
        "{Where}, every heartbeat has a rhythm.",
        "The show must go on. So must the heart.",
        "Turn it up. The heart knows the words.",
        "One night, one stage, one last chance.",
    ],
    "War": [
        "Courage isn't the absence of fear.",
        "{Where}, every hour held is a life saved.",
        "They held the line so others could go home.",
        "No one comes home the same.",
        "{Hero} carries the hope of thousands.",
    ],
    "Western": [
        "Out here, the law is whoever is left standing.",
        "{Where}, justice rides alone.",
        "Every man has a price. Hers isn't for sale.",
        "The frontier has a long memory.",
        "{Hero} came for justice. The town wants a hanging.",
    ],
}
HOOK_TEMPLATES = [
    "Made for anyone who lives for {hook}.",
    "For everyone who can't get enough of {hook}.",
]
FALLBACK = ["{title}: a story worth every minute.", "Don't miss {title}."]
MAX_WORDS = 12

# Verbs that start the plot in a one-line synopsis ("A stunt double *races* ...").
_VERBS = set(
    [
        "is",
        "are",
        "has",
        "have",
        "must",
        "takes",
        "take",
        "races",
        "race",
        "finds",
        "find",
        "discovers",
        "discover",
        "returns",
        "return",
        "falls",
        "fall",
        "keeps",
        "keep",
        "trades",
        "trade",
        "gets",
        "get",
        "follows",
        "follow",
        "sets",
        "set",
        "joins",
        "join",
        "crosses",
        "cross",
        "searches",
        "search",
        "inherits",
        "inherit",
        "enters",
        "enter",
        "uncovers",
        "uncover",
        "plans",
        "plan",
        "witnesses",
        "witness",
        "investigates",
        "investigate",
        "notices",
        "notice",
        "tries",
        "try",
        "picks",
        "pick",
        "begins",
        "begin",
        "opens",
        "open",
        "realizes",
        "realize",
        "starts",
        "start",
        "rents",
        "rent",
        "records",
        "record",
        "bargains",
        "bargain",
        "leads",
        "lead",
        "befriends",
        "befriend",
        "discover",
        "builds",
        "build",
        "runs",
        "run",
        "attempts",
        "attempt",
        "stages",
        "stage",
        "writes",
        "write",
        "gets",
        "escorts",
        "escort",
        "defends",
        "defend",
        "rides",
        "ride",
        "hired",
        "smuggles",
        "smuggle",
        "carries",
        "carry",
        "reopens",
        "reopen",
        "sees",
        "see",
    ]
)
_PLACE = re.compile(
    r"\b(in|on|aboard|across|inside|through|beneath|among|at) "
    r"((?:the |a |an )?(?:\d{4}s |[a-z-]+ ){0,3}[A-Za-z][\w'-]+(?: [A-Z][\w'-]+)*)"
    r"(?=[.,;]|$)"
)


def _hero(description: str) -> str | None:
    words = description.split(".")[0].split()
    for i, word in enumerate(words[1:7], start=1):
        if word.lower().strip(",") in _VERBS:
            # Long protagonists ("a substitute teacher with no filter") make clumsy taglines.
            return " ".join(words[:i]) if i <= 4 else None
    return None


def _where(description: str) -> str | None:
    first = description.split(". ")[0].rstrip(".")
    matches = list(_PLACE.finditer(first))
    if not matches:
        return None
    preposition, place = matches[-1].groups()
    if len(place.split()) > 6:
        return None
    return f"{preposition} {place}"


def _hook(preferences: str) -> str | None:
    match = re.search(r"especially ([^;.]+)", preferences)
    if match:
        return match.group(1).split(" and ")[0].strip()
    match = re.search(r"(?:loves|likes|enjoys) ([^;.,]+)", preferences, re.I)
    return match.group(1).strip() if match else None


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # an acronym: keep it
        return text
    return text[:1].lower() + text[1:]


def _seed(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


class LocalTaglineWriter:
    """Deterministic template taglines from the same prompt a real LLM would get.

    The facet in the prompt (the genre the viewer cares about) picks the template family;
    the synopsis supplies the protagonist and setting, the viewer's stated preferences a
    hook. Taglines listed in the prompt as already used are avoided.

    Example:
        >>> LocalTaglineWriter().generate(build_tagline_prompt(user, item))  # doctest: +SKIP
        'In wintry Berlin, the truth has a body count.'
    """

    name = "local template writer (no AWS)"
    is_local = True

    def generate(self, prompt: str, **params: Any) -> str:
        data = parse_prompt_data(prompt)
        movie, viewer = data.get("movie", {}), data.get("viewer", {})
        title = movie.get("title") or "this story"
        genres = [g.strip() for g in movie.get("genres", "").split(",") if g.strip()]
        facet = viewer.get("facet") or (genres[0] if genres else "")
        description = movie.get("description", "")
        slots = {
            "title": title,
            "hero": _lower_first(h) if (h := _hero(description)) else None,
            "Hero": h,
            "where": w if (w := _where(description)) else None,
            "Where": _cap(w) if w else None,
            "hook": _hook(viewer.get("stated preferences", "")),
        }
        used = set(
            re.findall(r"^- (.+)$", prompt.split("Already used for this viewer", 1)[-1], re.M)
        )
        if "Already used for this viewer" not in prompt:
            used = set()
        candidates = list(TEMPLATES.get(facet, []))
        favourites = {g.strip() for g in viewer.get("favourite genres", "").split(",")}
        if facet in favourites:  # the hook echoes the viewer's taste: only when this is it
            candidates.append(HOOK_TEMPLATES[_seed(title) % len(HOOK_TEMPLATES)])
        limit = re.search(r"at most (\d+) words", prompt)
        max_words = min(MAX_WORDS, int(limit.group(1))) if limit else MAX_WORDS
        rng = random.Random(_seed(title, facet, sorted(viewer.items()), params.get("seed", 0)))
        rng.shuffle(candidates)
        lines = []
        for template in [*candidates, *FALLBACK]:
            needed = re.findall(r"{(\w+)}", template)
            if all(slots.get(n) for n in needed):
                line = template.format(**{n: slots[n] for n in needed})
                if line not in used:
                    lines.append(line)
        fitting = [line for line in lines if len(line.split()) <= max_words]
        if fitting:
            return fitting[0]
        # Nothing fits the word limit the prompt asks for: the shortest line, cut to it.
        shortest = min(lines, key=lambda line: len(line.split()), default=title)
        return " ".join(shortest.split()[:max_words]).rstrip(",;:") or title


# -- procedural poster art --------------------------------------------------------------------

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
        rng = random.Random(_seed(prompt, seed))
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
