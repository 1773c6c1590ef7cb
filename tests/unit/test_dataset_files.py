"""The shipped datasets meet Amazon Personalize's domain rules and follow the users' tastes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import fastavro
import pytest

from tests.conftest import MOVIES, RETAIL

NAMESPACE = "com.amazonaws.personalize.schema"
INTERACTION_FIELDS = {
    "USER_ID": "string",
    "ITEM_ID": "string",
    "TIMESTAMP": "long",
    "EVENT_TYPE": "string",
}

DOMAINS = {
    "movies": {
        "folder": MOVIES,
        "items": {"ITEM_ID": "string", "GENRES": "string", "CREATION_TIMESTAMP": "long"},
        "categorical": {"GENRES"},
        "events": {"Watch", "Click"},
        "min_items": 150,
        "min_users": 100,
        "min_interactions": 5000,
    },
    "retail": {
        "folder": RETAIL,
        "items": {"ITEM_ID": "string", "PRICE": "float", "CATEGORY_L1": "string"},
        "categorical": {"CATEGORY_L1"},
        "events": {"View", "Purchase"},
        "min_items": 50,
        "min_users": 25,
        "min_interactions": 1000,
    },
}
# Reserved keywords and the attribute they must (or must not) carry.
RESERVED = {
    "CONTENT_CLASSIFICATION": {"categorical": True},
    "GENRE_L2": {"categorical": True},
    "CATEGORY_L2": {"categorical": True},
    "PRODUCT_DESCRIPTION": {"textual": True},
    "DURATION": {},
    "PRICE": {},
}


def _base_type(field: dict) -> str:
    kind = field["type"]
    if isinstance(kind, list):
        (kind,) = [k for k in kind if k != "null"]
    return kind


def _nullable(field: dict) -> bool:
    return isinstance(field["type"], list) and "null" in field["type"]


def _schema(folder: Path, kind: str) -> dict:
    schema = json.loads((folder / "schemas" / f"{kind}.json").read_text())
    fastavro.parse_schema(schema)  # raises on anything that is not valid Avro
    return schema


def _rows(folder: Path, kind: str) -> tuple[list[str], list[dict]]:
    with (folder / f"{kind}.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(params=sorted(DOMAINS), scope="module")
def dataset(request):
    spec = DOMAINS[request.param]
    folder = spec["folder"]
    return spec, {
        kind: (_schema(folder, kind), *_rows(folder, kind))
        for kind in ("users", "items", "interactions")
    }


def test_schemas_are_personalize_records_with_required_fields(dataset):
    spec, files = dataset
    for kind, (schema, _, _) in files.items():
        assert schema["type"] == "record"
        assert schema["namespace"] == NAMESPACE
        names = [f["name"] for f in schema["fields"]]
        assert len(names) == len(set(names)), f"{kind}: duplicate field names"
    fields = {kind: {f["name"]: f for f in files[kind][0]["fields"]} for kind in files}
    for name, kind in INTERACTION_FIELDS.items():
        assert _base_type(fields["interactions"][name]) == kind
        assert not _nullable(fields["interactions"][name])
    for name, kind in spec["items"].items():
        assert _base_type(fields["items"][name]) == kind, name
    for name in spec["categorical"]:
        assert fields["items"][name].get("categorical") is True, name
    assert _base_type(fields["users"]["USER_ID"]) == "string"
    metadata = [f for n, f in fields["users"].items() if n != "USER_ID"]
    assert any(
        f.get("categorical") or _base_type(f) in ("int", "long", "float", "double")
        for f in metadata
    )
    for kind in files:
        for name, field in fields[kind].items():
            if field.get("textual"):
                assert kind == "items", "only Items schemas may have textual fields"
            if name in RESERVED:
                for attribute, value in RESERVED[name].items():
                    assert field.get(attribute) is value, f"{kind}.{name} needs {attribute}"


def test_csv_columns_and_values_match_the_schemas(dataset):
    _, files = dataset
    for kind, (schema, header, rows) in files.items():
        assert header == [f["name"] for f in schema["fields"]], kind
        for field in schema["fields"]:
            kind_ = _base_type(field)
            for line, row in enumerate(rows, start=2):
                value = row[field["name"]]
                if value == "":
                    assert _nullable(field), f"{kind}.csv line {line}: {field['name']} is empty"
                    continue
                if kind_ in ("int", "long"):
                    int(value)
                elif kind_ in ("float", "double"):
                    float(value)
                if field.get("categorical"):
                    assert len(value) <= 1000


def test_ids_unique_and_interactions_refer_to_known_users_and_items(dataset):
    spec, files = dataset
    users = [r["USER_ID"] for r in files["users"][2]]
    items = [r["ITEM_ID"] for r in files["items"][2]]
    assert len(users) == len(set(users))
    assert len(items) == len(set(items))
    interactions = files["interactions"][2]
    assert {r["USER_ID"] for r in interactions} <= set(users)
    assert {r["ITEM_ID"] for r in interactions} <= set(items)
    assert {r["EVENT_TYPE"] for r in interactions} == spec["events"]
    assert all(1_500_000_000 < int(r["TIMESTAMP"]) < 2_000_000_000 for r in interactions)


def test_dataset_meets_the_minimums(dataset):
    spec, files = dataset
    interactions = files["interactions"][2]
    per_user: dict[str, int] = {}
    for row in interactions:
        per_user[row["USER_ID"]] = per_user.get(row["USER_ID"], 0) + 1
    assert len(files["items"][2]) >= spec["min_items"]
    assert len(files["users"][2]) >= spec["min_users"]
    assert len(interactions) >= spec["min_interactions"]
    # Personalize: >= 25 users with >= 2 interactions; here every user has at least 2.
    assert set(per_user) == {r["USER_ID"] for r in files["users"][2]}
    assert min(per_user.values()) >= 2


def test_movie_titles_are_unique_and_descriptions_short():
    _, rows = _rows(MOVIES, "items")
    titles = [r["TITLE"] for r in rows]
    assert len(titles) == len(set(titles))
    for row in rows:
        sentences = [s for s in row["DESCRIPTION"].replace("a.m.", "am").split(". ") if s]
        assert 1 <= len(sentences) <= 3, row["DESCRIPTION"]


def test_histories_follow_stated_tastes():
    """Most of a user's interactions are with their favourite genres, far above chance."""
    _, items = _rows(MOVIES, "items")
    _, users = _rows(MOVIES, "users")
    _, interactions = _rows(MOVIES, "interactions")
    genres = {r["ITEM_ID"]: set(r["GENRES"].split("|")) for r in items}
    favorites = {r["USER_ID"]: set(r["FAVORITE_GENRES"].split("|")) for r in users}
    shares = []
    for user, fav in favorites.items():
        mine = [i["ITEM_ID"] for i in interactions if i["USER_ID"] == user]
        on_taste = sum(bool(genres[i] & fav) for i in mine) / len(mine)
        chance = sum(bool(g & fav) for g in genres.values()) / len(genres)
        # Twice chance, or nearly everything when the favourites cover much of the catalog.
        assert on_taste > min(2 * chance, 0.9), (
            f"{user}: {on_taste:.2f} on taste vs {chance:.2f} by chance"
        )
        shares.append(on_taste)
    assert sorted(shares)[len(shares) // 2] > 0.8


def test_generator_is_deterministic(tmp_path, monkeypatch):
    """Running data/generate.py again reproduces the committed files byte for byte."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", MOVIES.parent / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for folder in ("movies", "retail"):
        for name in ("users.csv", "items.csv", "interactions.csv", "schemas/items.json"):
            committed = (MOVIES.parent / folder / name).read_bytes()
            assert (tmp_path / folder / name).read_bytes() == committed, f"{folder}/{name}"
