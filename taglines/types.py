"""The value types that cross module boundaries: a user's profile and an item's metadata.

Kept free of heavy imports so that prompts, models and the Lambda handler can use them
without pandas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class User:
    """One user's profile, as the prompt builder sees it."""

    user_id: str
    age_group: str | None = None
    preferences: str | None = None
    favorite_genres: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False, repr=False)


@dataclass(frozen=True)
class Item:
    """One item's metadata (a movie, or a product in the retail domain)."""

    item_id: str
    title: str
    genres: tuple[str, ...] = ()
    year: int | None = None
    description: str | None = None
    key_visual: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False, repr=False)
