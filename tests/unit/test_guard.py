"""clean_tagline on real-world ugly model outputs, refusals and empty answers."""

from __future__ import annotations

import pytest

from taglines import GenerationError, clean_tagline

PROMPT = "You are a copywriter.\n\n<movie>\ntitle: Night Cab\n</movie>\n\nTagline:"

UGLY = [
    ("Trust no one. Not even the meter.", "Trust no one. Not even the meter."),
    ('"Trust no one. Not even the meter."', "Trust no one. Not even the meter."),
    ("“Every fare has a price.”", "Every fare has a price."),
    ('"Every fare has a price".', "Every fare has a price."),
    ("Tagline: Every fare has a price.", "Every fare has a price."),
    ("**Tagline:** Every fare has a price.", "Every fare has a price."),
    ("Tagline 1: Every fare has a price.\nTagline 2: Another one.", "Every fare has a price."),
    (
        "Sure! Here's a tagline for this viewer:\n\nEvery fare has a price.",
        "Every fare has a price.",
    ),
    ('Here is a personalized tagline:\n"Every fare has a price."', "Every fare has a price."),
    ("  \n\n  Every fare has a price.  \n", "Every fare has a price."),
    ("Every fare has a price. #thriller #NightCab", "Every fare has a price."),
    ("Every fare has a price. (5 words)", "Every fare has a price."),
    ("1. Every fare has a price.\n2. Ride at your own risk.", "Every fare has a price."),
    ("- Every fare has a price.", "Every fare has a price."),
    ("* *Every fare has a price.*", "Every fare has a price."),
    ("```\nEvery fare has a price.\n```", "Every fare has a price."),
    ("## Every fare has a price", "Every fare has a price"),
    ("Assistant: Every fare has a price.", "Every fare has a price."),
    ("Tagline - Every fare has a price.", "Every fare has a price."),
    ("'Every fare has a price.'", "Every fare has a price."),
    (
        "Don't miss the ride: every fare has a price.",
        "Don't miss the ride: every fare has a price.",
    ),
    ("It's the driver's last night.", "It's the driver's last night."),
    ("«Chaque course a un prix.»", "Chaque course a un prix."),
    (PROMPT + " Every fare has a price.", "Every fare has a price."),
    ("<movie>\ntitle: Night Cab\n</movie>\nEvery fare has a price.", "Every fare has a price."),
    ("Every\x00 fare\x07 has a price.", "Every fare has a price."),
    (
        "In a city that never sleeps, one cab driver sees everything, and everything sees him back tonight",
        "In a city that never sleeps, one cab driver sees everything, and everything sees him back",
    ),
    ("Lo" + "o" * 200, "Lo" + "o" * 108),
]


@pytest.mark.parametrize(("raw", "expected"), UGLY)
def test_cleans_ugly_outputs(raw, expected):
    assert clean_tagline(raw, prompt=PROMPT) == expected


def test_table_is_big_enough():
    assert len(UGLY) >= 20


def test_caps_length_at_a_word_boundary():
    text = clean_tagline("word " * 40)
    assert len(text.split()) == 16
    long = clean_tagline("abcdefghij " * 20, max_chars=50)
    assert len(long) <= 50 and not long.endswith(" ")


@pytest.mark.parametrize(
    "raw",
    [
        "I'm sorry, but I can't help with that.",
        "I am sorry, I cannot write taglines about real people.",
        "As an AI language model, I don't have preferences.",
        "As a language model I cannot do that",
        "I cannot create content for this request.",
        "Sorry, but I can't do that.",
        "**I'm unable to** write that.",
        "Unfortunately, I am not able to help.",
    ],
)
def test_refusals_raise(raw):
    with pytest.raises(GenerationError, match="refused"):
        clean_tagline(raw)


@pytest.mark.parametrize(
    "raw", ["", "   \n\n", '""', "#thriller #movie", "Tagline:", "```\n```", "...", None, 42]
)
def test_empty_or_non_text_raises(raw):
    with pytest.raises(GenerationError):
        clean_tagline(raw)
