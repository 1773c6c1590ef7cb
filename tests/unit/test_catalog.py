"""load_catalog on local folders: lookups, history, and a DataError for each kind of bad input."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from taglines import DataError, load_catalog
from tests.helpers import INTERACTIONS, ITEMS, USERS, write_dataset


def test_loads_the_shipped_movies(movies):
    assert movies.domain.name == "VIDEO_ON_DEMAND"
    assert len(movies.users) == 150 and len(movies.items) >= 150
    assert movies.dropped_interactions == 0
    item = movies.item(movies.items["ITEM_ID"].iloc[0])
    assert item.title and item.genres and item.description and item.year
    user = movies.user("u0001")
    assert user.favorite_genres[0] == "Thriller"
    assert user.preferences.startswith("Loves")


def test_loads_the_retail_domain(retail):
    assert retail.domain.name == "ECOMMERCE"
    item = retail.item("p0001")
    assert item.title == retail.items.loc[0, "PRODUCT_NAME"]
    assert item.genres[0] == retail.items.loc[0, "CATEGORY_L1"]
    assert retail.user("s0001").favorite_genres == ("outdoors", "fitness")


def test_ids_stay_text(tmp_path):
    users = USERS.replace("u3,", "007,")
    interactions = INTERACTIONS.replace("u3,", "007,")
    catalog = load_catalog(write_dataset(tmp_path, users=users, interactions=interactions))
    assert catalog.user("007").user_id == "007"
    assert catalog.interactions["TIMESTAMP"].dtype == "int64"


def test_history_is_most_recent_first_and_joined_with_titles(tmp_path):
    catalog = load_catalog(write_dataset(tmp_path))
    history = catalog.history("u1")
    assert list(history["ITEM_ID"]) == ["m4", "m1"]
    assert list(history["TITLE"]) == ["Glass Tower", "Night Cab"]
    assert list(history.columns) == [
        "ITEM_ID",
        "TITLE",
        "GENRES",
        "YEAR",
        "EVENT_TYPE",
        "TIMESTAMP",
    ]
    assert list(catalog.history("u1", n=1)["ITEM_ID"]) == ["m4"]


def test_history_distinct_keeps_the_latest_event_per_item(movies):
    full = movies.history("u0001")
    distinct = movies.history("u0001", distinct=True)
    assert distinct["ITEM_ID"].is_unique
    assert set(distinct["ITEM_ID"]) == set(full["ITEM_ID"])
    assert distinct["TIMESTAMP"].is_monotonic_decreasing


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"items": None}, "items.csv not found"),
        ({"users": ""}, "users.csv: the file is empty"),
        ({"interactions": "USER_ID,ITEM_ID,TIMESTAMP\n"}, "header but no rows"),
        ({"items": ITEMS.replace("GENRES", "GENRE")}, "neither a GENRES column"),
        ({"items": ITEMS.replace(",TITLE,", ",NAME,")}, "missing required column.*TITLE"),
        (
            {"interactions": INTERACTIONS.replace("TIMESTAMP,", "TS,")},
            "missing required column.*TIMESTAMP",
        ),
        ({"users": USERS + "u1,35-44,Drama,\n"}, r"duplicate USER_ID value\(s\) u1 \(lines 2, 5\)"),
        ({"items": ITEMS + "m2,Again,2001,Drama,,1\n"}, "duplicate ITEM_ID"),
        (
            {"interactions": INTERACTIONS + "u1,m2,yesterday,Watch\n"},
            r"TIMESTAMP.*line\(s\) 7.*'yesterday'.*epoch seconds",
        ),
        ({"interactions": INTERACTIONS + "u1,m2,1700000000.5,Watch\n"}, "not whole numbers"),
        ({"interactions": INTERACTIONS + "u1,m2,1700000000000,Watch\n"}, "milliseconds"),
        ({"interactions": INTERACTIONS + "u1,,1700000000,Watch\n"}, "empty ITEM_ID"),
        ({"items": ITEMS.replace("1999", "nineteen")}, "YEAR"),
        ({"interactions": "USER_ID,ITEM_ID,TIMESTAMP\nx,y,1700000000\n"}, "none of its 1 rows"),
    ],
)
def test_bad_input_raises_data_error_naming_file_and_problem(tmp_path, change, needle):
    folder = write_dataset(
        tmp_path, **{"users": USERS, "items": ITEMS, "interactions": INTERACTIONS, **change}
    )
    if change.get("items", "") is None:
        (folder / "items.csv").unlink(missing_ok=True)
    with pytest.raises(DataError, match=needle):
        load_catalog(folder)


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="data folder .* not found.*TAGLINES_DATA_URI"):
        load_catalog(tmp_path / "nope")


def test_binary_garbage_is_a_data_error(tmp_path):
    folder = write_dataset(tmp_path)
    (folder / "items.csv").write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(DataError, match="items.csv"):
        load_catalog(folder)


def test_interactions_with_unknown_ids_are_dropped_and_counted(tmp_path, caplog):
    extra = "u9,m1,1700000500,Watch\nu1,m9,1700000600,Watch\n"
    with caplog.at_level(logging.WARNING):
        catalog = load_catalog(write_dataset(tmp_path, interactions=INTERACTIONS + extra))
    assert catalog.dropped_interactions == 2
    assert len(catalog.interactions) == 5
    assert "dropped 2 of 7 interactions" in caplog.text


def test_unknown_user_and_item_lookups(tmp_path):
    catalog = load_catalog(write_dataset(tmp_path))
    with pytest.raises(DataError, match="unknown user 'nobody'.*u1, u2, u3"):
        catalog.user("nobody")
    with pytest.raises(DataError, match="unknown item 'm99'"):
        catalog.item("m99")
    with pytest.raises(DataError, match="unknown user"):
        catalog.history("nobody")


def test_frames_built_in_memory_are_validated_too(tmp_path):
    from taglines import Catalog

    catalog = load_catalog(write_dataset(tmp_path))
    bad = pd.concat([catalog.items, catalog.items.head(1)])
    with pytest.raises(DataError, match="duplicate ITEM_ID"):
        Catalog(catalog.users, bad, catalog.interactions)
