"""Catalog: users, items and interactions, validated, with lookups by id (loading: storage.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from .errors import DataError
from .types import Item, User

log = logging.getLogger(__name__)

FILES = ("users.csv", "items.csv", "interactions.csv")

# Epoch seconds beyond this are almost certainly milliseconds (year 5138 in seconds).
_MAX_EPOCH_SECONDS = 10**11


@dataclass(frozen=True)
class Domain:
    """Which columns carry the title, the categories and the tastes in a Personalize domain."""

    name: str
    title: str
    categories: tuple[str, ...]
    description: str
    user_tastes: str
    events: tuple[str, ...]

    @property
    def required_item_columns(self) -> tuple[str, ...]:
        return ("ITEM_ID", self.title, self.categories[0])


VIDEO_ON_DEMAND = Domain(
    name="VIDEO_ON_DEMAND",
    title="TITLE",
    categories=("GENRES",),
    description="DESCRIPTION",
    user_tastes="FAVORITE_GENRES",
    events=("Watch", "Click"),
)
ECOMMERCE = Domain(
    name="ECOMMERCE",
    title="PRODUCT_NAME",
    categories=("CATEGORY_L1", "CATEGORY_L2"),
    description="PRODUCT_DESCRIPTION",
    user_tastes="INTERESTS",
    events=("View", "Purchase"),
)
DOMAINS = (VIDEO_ON_DEMAND, ECOMMERCE)

_INT_COLUMNS = ("YEAR", "CREATION_TIMESTAMP")
_FLOAT_COLUMNS = ("PRICE", "DURATION")


def split_values(value: Any) -> tuple[str, ...]:
    """Split a ``|``-separated categorical value into its parts (empty for missing values)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ()
    return tuple(part.strip() for part in str(value).split("|") if part.strip())


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _lines(index: Iterable[int], limit: int = 5) -> str:
    # +2: one for the header row, one because people count lines from 1.
    rows = list(index)
    numbers = [str(i + 2) for i in rows[:limit]]
    return ", ".join(numbers) + (", …" if len(rows) > limit else "")


class Catalog:
    """Users, items and interactions, validated, with lookups by id.

    Build one with :func:`load_catalog`; the constructor validates frames built in memory the
    same way. ``users``, ``items`` and ``interactions`` are DataFrames for display; ``user()``,
    ``item()`` and ``history()`` are the lookups the rest of the package uses.

    Example:
        >>> catalog = load_catalog("data/movies")  # doctest: +SKIP
        >>> catalog.item("m0001").title  # doctest: +SKIP
        'The Safecracker\\'s Pension'
    """

    def __init__(
        self,
        users: pd.DataFrame,
        items: pd.DataFrame,
        interactions: pd.DataFrame,
        *,
        source: str = "<memory>",
    ) -> None:
        self.source = source
        self.domain = _detect_domain(items, f"{source}/items.csv")
        self.users = _check_table(users, f"{source}/users.csv", ("USER_ID",), "USER_ID")
        self.items = _check_table(
            items, f"{source}/items.csv", self.domain.required_item_columns, "ITEM_ID"
        )
        interactions = _check_interactions(interactions, f"{source}/interactions.csv")
        known = interactions["USER_ID"].isin(self.users["USER_ID"]) & interactions["ITEM_ID"].isin(
            self.items["ITEM_ID"]
        )
        self.dropped_interactions = int((~known).sum())
        if self.dropped_interactions:
            if not known.any():
                raise DataError(
                    f"{source}/interactions.csv: none of its {len(interactions)} rows refer to a "
                    "user in users.csv and an item in items.csv; check that the three files "
                    "belong to the same dataset"
                )
            log.warning(
                "%s/interactions.csv: dropped %d of %d interactions that refer to unknown "
                "users or items",
                source,
                self.dropped_interactions,
                len(interactions),
            )
        self.interactions = interactions[known].reset_index(drop=True)

    def __repr__(self) -> str:
        return (
            f"Catalog({self.domain.name}, {len(self.users)} users, {len(self.items)} items, "
            f"{len(self.interactions)} interactions from {self.source})"
        )

    # -- lookups ------------------------------------------------------------------------------

    @cached_property
    def _users_by_id(self) -> pd.DataFrame:
        return self.users.set_index("USER_ID", drop=False)

    @cached_property
    def _items_by_id(self) -> pd.DataFrame:
        return self.items.set_index("ITEM_ID", drop=False)

    @cached_property
    def item_genres(self) -> dict[str, tuple[str, ...]]:
        """Item id -> its genres (categories in the retail domain)."""
        frame = self.items
        result: dict[str, tuple[str, ...]] = {}
        columns = [c for c in self.domain.categories if c in frame.columns]
        for row in frame[["ITEM_ID", *columns]].itertuples(index=False):
            parts: list[str] = []
            for value in row[1:]:
                parts.extend(p for p in split_values(value) if p not in parts)
            result[row[0]] = tuple(parts)
        return result

    def has_user(self, user_id: str) -> bool:
        return str(user_id) in self._users_by_id.index

    def has_item(self, item_id: str) -> bool:
        return str(item_id) in self._items_by_id.index

    def _known_user(self, user_id: str) -> str:
        user_id = str(user_id)
        if user_id not in self._users_by_id.index:
            raise DataError(
                f"unknown user {user_id!r}: {self.source}/users.csv has {len(self.users)} users "
                f"(e.g. {', '.join(self.users['USER_ID'].head(3))}); pick one of those"
            )
        return user_id

    def user(self, user_id: str) -> User:
        """The profile of ``user_id``.

        Raises:
            DataError: if the id is not in users.csv.
        """
        user_id = self._known_user(user_id)
        row = self._users_by_id.loc[user_id]
        attributes = {k: str(v) for k, v in row.items() if _text(v) is not None}
        return User(
            user_id=user_id,
            age_group=_text(row.get("AGE_GROUP")),
            preferences=_text(row.get("PREFERENCES")),
            favorite_genres=split_values(row.get(self.domain.user_tastes)),
            attributes=attributes,
        )

    def item(self, item_id: str) -> Item:
        """The metadata of ``item_id``.

        Raises:
            DataError: if the id is not in items.csv.
        """
        item_id = str(item_id)
        if item_id not in self._items_by_id.index:
            raise DataError(
                f"unknown item {item_id!r}: it is not in {self.source}/items.csv; if it came "
                "from Personalize, the recommender was trained on a different items dataset"
            )
        row = self._items_by_id.loc[item_id]
        year = row.get("YEAR")
        return Item(
            item_id=item_id,
            title=str(row[self.domain.title]),
            genres=self.item_genres[item_id],
            year=None if year is None or pd.isna(year) else int(year),
            description=_text(row.get(self.domain.description)),
            key_visual=_text(row.get("KEY_VISUAL")),
            attributes={k: str(v) for k, v in row.items() if _text(v) is not None},
        )

    def history(
        self, user_id: str, n: int | None = None, *, distinct: bool = False
    ) -> pd.DataFrame:
        """The user's interactions, most recent first, joined with item metadata.

        Args:
            user_id: a user in users.csv.
            n: keep only the ``n`` most recent rows.
            distinct: keep one row per item (its most recent interaction).

        Returns:
            Columns ``ITEM_ID``, the title and category columns, ``EVENT_TYPE`` (if present)
            and ``TIMESTAMP``.

        Raises:
            DataError: if the user is unknown.
        """
        rows = self._history_index.get(self._known_user(user_id))
        frame = self.interactions.iloc[rows] if rows is not None else self.interactions.iloc[0:0]
        frame = frame.sort_values(["TIMESTAMP", "ITEM_ID"], ascending=[False, True], kind="stable")
        if distinct:
            frame = frame.drop_duplicates("ITEM_ID", keep="first")
        if n is not None:
            frame = frame.head(n)
        columns = [
            c
            for c in ("ITEM_ID", self.domain.title, *self.domain.categories, "YEAR")
            if c in self.items.columns
        ]
        joined = frame.merge(self.items[columns], on="ITEM_ID", how="left", sort=False)
        ordered = [*columns, *[c for c in ("EVENT_TYPE", "TIMESTAMP") if c in joined.columns]]
        return joined[ordered].reset_index(drop=True)

    @cached_property
    def _history_index(self) -> dict[str, Any]:
        return self.interactions.groupby("USER_ID", sort=False).indices

    def genre_counts(self) -> pd.Series:
        """How many items carry each genre (category in the retail domain), most common first."""
        counts: dict[str, int] = {}
        for genres in self.item_genres.values():
            for genre in genres:
                counts[genre] = counts.get(genre, 0) + 1
        series = pd.Series(counts, name="items", dtype="int64").sort_values(
            ascending=False, kind="stable"
        )
        series.index.name = "genre"
        return series

    def with_interactions(self, interactions: pd.DataFrame) -> Catalog:
        """A catalog with the same users and items and other interactions (e.g. a train split)."""
        return Catalog(self.users, self.items, interactions, source=self.source)


# -- validation -------------------------------------------------------------------------------


def _detect_domain(items: pd.DataFrame, where: str) -> Domain:
    for domain in DOMAINS:
        if domain.categories[0] in items.columns:
            return domain
    raise DataError(
        f"{where}: cannot tell the domain, it has neither a GENRES column (VIDEO_ON_DEMAND) nor "
        f"a CATEGORY_L1 column (ECOMMERCE); columns are {list(items.columns)}"
    )


def _require_columns(frame: pd.DataFrame, where: str, required: Iterable[str]) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            f"{where}: missing required column(s) {', '.join(missing)}; "
            f"the file has {', '.join(map(str, frame.columns)) or 'no columns'}"
        )


def _clean_ids(frame: pd.DataFrame, where: str, columns: Iterable[str]) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        values = frame[column].astype("string").str.strip()
        blank = values.isna() | (values == "")
        if blank.any():
            raise DataError(
                f"{where}: {int(blank.sum())} row(s) with an empty {column} "
                f"(line(s) {_lines(frame.index[blank])}); every row needs an id"
            )
        frame[column] = values.astype(str)
    return frame


def _check_table(
    frame: pd.DataFrame, where: str, required: Iterable[str], key: str
) -> pd.DataFrame:
    required = tuple(required)
    _require_columns(frame, where, required)
    if frame.empty:
        raise DataError(
            f"{where}: has a header but no rows; add the data rows (the sample comes from `python data/generate.py`)"
        )
    frame = _clean_ids(frame, where, [key])
    duplicated = frame[key].duplicated(keep=False)
    if duplicated.any():
        dupes = sorted(set(frame.loc[duplicated, key]))
        raise DataError(
            f"{where}: duplicate {key} value(s) {', '.join(dupes[:5])}"
            f"{' …' if len(dupes) > 5 else ''} (lines {_lines(frame.index[duplicated])}); "
            f"each {key} must appear once"
        )
    for column in _INT_COLUMNS:
        if column in frame.columns:
            frame[column] = _numeric(frame[column], where, column, integer=True, optional=True)
    for column in _FLOAT_COLUMNS:
        if column in frame.columns:
            frame[column] = _numeric(frame[column], where, column, integer=False, optional=True)
    return frame.reset_index(drop=True)


def _numeric(
    series: pd.Series, where: str, column: str, *, integer: bool, optional: bool
) -> pd.Series:
    present = series.notna() & (series.astype("string").str.strip() != "")
    values = pd.to_numeric(series.where(present), errors="coerce")
    bad = present & values.isna()
    if not optional:
        bad = bad | ~present
    if integer:
        bad = bad | (values.notna() & (values % 1 != 0))
    if bad.any():
        examples = ", ".join(repr(v) for v in series[bad].head(3).tolist())
        kind = "whole numbers" if integer else "numbers"
        raise DataError(
            f"{where}: column {column} has {int(bad.sum())} value(s) that are not {kind} "
            f"(line(s) {_lines(series.index[bad])}: {examples})"
        )
    return values.astype("Int64") if integer else values.astype(float)


def _check_interactions(frame: pd.DataFrame, where: str) -> pd.DataFrame:
    _require_columns(frame, where, ("USER_ID", "ITEM_ID", "TIMESTAMP"))
    if frame.empty:
        raise DataError(
            f"{where}: has a header but no rows; add the data rows (the sample comes from `python data/generate.py`)"
        )
    frame = _clean_ids(frame, where, ["USER_ID", "ITEM_ID"])
    try:
        stamps = _numeric(frame["TIMESTAMP"], where, "TIMESTAMP", integer=True, optional=False)
    except DataError as exc:
        raise DataError(f"{exc}; TIMESTAMP must be Unix epoch seconds, e.g. 1700000000") from exc
    too_big = stamps > _MAX_EPOCH_SECONDS
    if too_big.any():
        raise DataError(
            f"{where}: TIMESTAMP values look like milliseconds (line(s) "
            f"{_lines(frame.index[too_big])}); Amazon Personalize expects epoch seconds, "
            "divide them by 1000"
        )
    frame["TIMESTAMP"] = stamps.astype("int64")
    return frame.reset_index(drop=True)
