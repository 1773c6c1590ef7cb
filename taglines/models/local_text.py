"""Local stand-in for the text model: deterministic template taglines from the real prompt.

The writer reads the prompt's ``<viewer>`` and ``<movie>`` blocks, so local mode runs the
same code path as an LLM: the same prompt goes in, a tagline comes out, labelled local.
"""

from __future__ import annotations

import random
import re
from typing import Any

from ..prompts import parse_prompt_data
from ..seeds import stable_seed

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
            candidates.append(HOOK_TEMPLATES[stable_seed(title) % len(HOOK_TEMPLATES)])
        limit = re.search(r"at most (\d+) words", prompt)
        max_words = min(MAX_WORDS, int(limit.group(1))) if limit else MAX_WORDS
        rng = random.Random(
            stable_seed(title, facet, sorted(viewer.items()), params.get("seed", 0))
        )
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
