"""The tagline guard: turns whatever a text model returned into one clean tagline, or refuses."""

from __future__ import annotations

import re
import unicodedata

from .errors import GenerationError

MAX_WORDS = 16
MAX_CHARS = 110

_REFUSALS = re.compile(
    r"^\W*(i'?m sorry|i am sorry|sorry,? (but )?i|as an ai\b|as a language model|i cannot\b|"
    r"i can'?t\b|i can not\b|i'?m (unable|not able)|i am (unable|not able)|i won'?t\b|"
    r"i must decline|unfortunately,? i)",
    re.I,
)
# "Tagline:", "Tagline 2 -", "**Tagline**:", "Answer:", "Assistant:" …
_LABEL = re.compile(
    r"^\s*(?:[*_#>`\s]*)(?:personali[sz]ed\s+)?(?:tag\s*line|tagline|answer|assistant|output|"
    r"response|result|final answer|slogan)(?:\s*(?:#?\d+|for [^:]{1,60}))?\s*[*_]*\s*[:\-–—]\s*[*_]*",
    re.I,
)
# Preambles such as "Sure! Here's a tagline for this viewer:" that carry no tagline.
_PREAMBLE = re.compile(
    r"^(sure|certainly|of course|okay|ok|absolutely|here(?:'s| is| are)|great)\b.*:\s*$", re.I
)
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·]+|\d+[.)]|\(\d+\))\s+")
_TRAILING_HASHTAGS = re.compile(r"(?:\s*#[\w-]+)+\s*$")
_WORD_COUNT = re.compile(r"\s*[(\[]\s*\d+\s+words?\s*[)\]]\s*$", re.I)
_QUOTES = "\"'“”‘’«»„‚`"
_PROMPT_ECHO = re.compile(
    r"^\s*(</?(viewer|movie)>|rules:|examples:|viewer who|title:|genres:)", re.I
)


def _strip_markup(line: str) -> str:
    line = _LIST_MARKER.sub("", line)
    line = re.sub(r"^[#>\s]+", "", line)
    line = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", line)  # **bold**, _italic_, `code`
    line = line.strip("*_` ")
    return line


def _strip_quotes(line: str) -> str:
    line = line.strip()
    for _ in range(3):
        trail = ""
        while line and line[-1] in ".!?…" and len(line) > 1 and line[-2] in _QUOTES:
            trail, line = line[-1] + trail, line[:-1]
        if len(line) >= 2 and line[0] in _QUOTES and line[-1] in _QUOTES:
            line = line[1:-1].strip() + trail
        elif line and line[0] in _QUOTES and line.count(line[0]) == 1:
            line = line[1:].strip() + trail
        elif (
            line
            and line[-1] in _QUOTES
            and line[-1] not in "'’"
            and sum(c in _QUOTES for c in line) == 1
        ):
            line = line[:-1].strip() + trail
        else:
            return line + trail
    return line


def _cap(line: str, max_words: int, max_chars: int) -> str:
    words = line.split()
    if len(words) > max_words:
        line = " ".join(words[:max_words])
    if len(line) > max_chars:
        cut = line[: max_chars + 1]
        line = cut.rsplit(" ", 1)[0] if " " in cut else line[:max_chars]
    if line != " ".join(words):
        line = line.rstrip(" ,;:-–—")
    return line


def clean_tagline(
    raw: object,
    *,
    prompt: str | None = None,
    max_words: int = MAX_WORDS,
    max_chars: int = MAX_CHARS,
) -> str:
    """The guard every model output passes before it reaches a poster.

    Takes the first meaningful line; strips labels ("Tagline:"), list markers, markdown,
    surrounding quotes, an echoed prompt, trailing hashtags and word counts; caps the length
    at a word boundary.

    Args:
        raw: what the model returned.
        prompt: the prompt sent, so an echo of it (``return_full_text``) can be removed.
        max_words: cap on words.
        max_chars: cap on characters.

    Returns:
        One clean tagline.

    Raises:
        GenerationError: on empty output or a refusal ("I'm sorry…", "As an AI…").

    Example:
        >>> clean_tagline('Tagline: "Trust no one. Not even the dead." #thriller')
        'Trust no one. Not even the dead.'
    """
    if not isinstance(raw, str):
        raise GenerationError(
            f"the text model returned {type(raw).__name__}, not text: {raw!r:.80}"
        )
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    if prompt and text.lstrip().startswith(prompt.strip()):
        text = text.lstrip()[len(prompt.strip()) :]
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)
    text = text.replace("```", "\n")
    for line in text.split("\n"):
        if not line.strip():
            continue
        if _REFUSALS.search(_strip_markup(line)):
            raise GenerationError(
                f"the text model refused instead of writing a tagline: {line.strip()[:120]!r}"
            )
        if _PROMPT_ECHO.search(line) or re.fullmatch(r"(?:\s*#[\w-]+)+\s*", line):
            continue
        candidate = _LABEL.sub("", _strip_markup(line), count=1)
        candidate = _strip_markup(candidate)
        if _PREAMBLE.match(candidate) or (candidate.endswith(":") and len(candidate.split()) <= 12):
            continue
        candidate = _TRAILING_HASHTAGS.sub("", candidate)
        candidate = _WORD_COUNT.sub("", candidate)
        candidate = _strip_quotes(_strip_markup(candidate))
        candidate = " ".join(candidate.split())
        if not re.search(r"\w", candidate):
            continue
        return _cap(candidate, max_words, max_chars)
    raise GenerationError(
        f"the text model returned no usable tagline: {raw[:120]!r}; check the prompt's format and "
        "the stop sequences, or allow more tokens (max_new_tokens)"
    )
