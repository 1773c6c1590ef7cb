"""Small builders shared by tests: a tiny dataset folder, written as CSV text."""

from __future__ import annotations

from pathlib import Path

USERS = (
    "USER_ID,AGE_GROUP,FAVORITE_GENRES,PREFERENCES\n"
    "u1,25-34,Thriller|Crime,Loves twists\n"
    "u2,55+,Romance,Loves love\n"
    "u3,18-24,Comedy,\n"
)
ITEMS = (
    "ITEM_ID,TITLE,YEAR,GENRES,DESCRIPTION,CREATION_TIMESTAMP\n"
    "m1,Night Cab,1999,Crime|Thriller,A cab driver sees too much.,915148800\n"
    "m2,Paris in the Rain,2005,Romance,Two strangers share an umbrella.,1104537600\n"
    "m3,Goat Expectations,2012,Comedy,A farm inheritance goes wrong.,1325376000\n"
    "m4,Glass Tower,2020,Thriller,A building turns on its guard.,1577836800\n"
)
INTERACTIONS = (
    "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n"
    "u1,m1,1700000000,Watch\n"
    "u1,m4,1700000100,Click\n"
    "u2,m2,1700000200,Watch\n"
    "u2,m3,1700000300,Watch\n"
    "u3,m3,1700000400,Watch\n"
)


def write_dataset(
    folder: Path, users: str = USERS, items: str = ITEMS, interactions: str = INTERACTIONS
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("users.csv", users),
        ("items.csv", items),
        ("interactions.csv", interactions),
    ):
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder
