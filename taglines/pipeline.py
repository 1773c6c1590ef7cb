"""The pipeline: recommendations → prompt → tagline + poster art → poster, for one user or many."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .art import ArtCache, Now
from .backends import build_catalog, build_image_model, build_recommender, build_text_model
from .config import Settings
from .data import Catalog
from .errors import ConfigError, GenerationError, RecommendationError
from .guard import clean_tagline
from .models.base import ImageModel, TextModel
from .poster import compose_poster, contact_sheet
from .prompts import build_poster_prompt, build_tagline_prompt, taste_facet, top_genres
from .recommend import PersonalizeRecommender, Recommender, recommendations_frame
from .seeds import stable_seed
from .types import Item, User

if TYPE_CHECKING:
    from PIL import Image

    from .batch import BatchReport

log = logging.getLogger(__name__)

LOCAL_BADGE = "LOCAL PREVIEW"


@dataclass(frozen=True)
class ItemResult:
    """One recommended movie for one user: the prompt, the tagline, the art and the poster."""

    user_id: str
    item: Item
    rank: int
    score: float | None
    facet: str
    prompt: str
    tagline: str
    art_prompt: str
    poster: Image.Image = field(repr=False, compare=False)

    def record(self) -> dict[str, Any]:
        """The JSON-serializable fields (everything but the image)."""
        return {
            "user_id": self.user_id,
            "item_id": self.item.item_id,
            "rank": self.rank,
            "title": self.item.title,
            "genres": "|".join(self.item.genres),
            "score": self.score,
            "facet": self.facet,
            "tagline": self.tagline,
        }


@dataclass(frozen=True)
class UserResult:
    """Everything :meth:`Pipeline.run` produced for one user."""

    user: User
    recommendations: pd.DataFrame = field(repr=False, compare=False)
    items: tuple[ItemResult, ...]
    backends: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def taglines(self) -> pd.DataFrame:
        """Title, genres, facet and tagline per recommended movie."""
        return pd.DataFrame(
            [
                {
                    "TITLE": r.item.title,
                    "GENRES": "|".join(r.item.genres),
                    "facet": r.facet,
                    "tagline": r.tagline,
                }
                for r in self.items
            ]
        )

    @property
    def posters(self) -> list[Image.Image]:
        return [r.poster for r in self.items]

    def grid(self, columns: int = 3, thumb_width: int = 256) -> Image.Image:
        """The posters side by side (Jupyter shows a returned image inline)."""
        return contact_sheet(self.posters, columns=columns, thumb_width=thumb_width)


@dataclass
class PendingUser:
    """A user whose text and image calls are in flight (see :meth:`Pipeline.start`)."""

    user: User
    recs: list[Any]
    known: list[tuple[int, Any]]
    history: list[Item]
    items: list[Item]
    facets: list[str]
    prompts: list[str]
    texts: list[Future[str]]
    arts: list[Future[tuple[str, str]]]
    text_pool: ThreadPoolExecutor

    @property
    def futures(self) -> list[Future[Any]]:
        return [*self.texts, *self.arts]

    def cancel(self) -> None:
        """Drop this user's text calls that have not started (after a failure, they would be
        wasted). Art futures are shared with other users, so they keep running."""
        for job in self.texts:
            job.cancel()

    def release(self) -> None:
        """Forget the futures. Their done-callbacks refer back to this object; dropping the
        references breaks that cycle, so the art and text are freed at once rather than by a
        later garbage collection (which counts objects, not the megabytes of an image)."""
        self.texts, self.arts = [], []


class Pipeline:
    """Recommender + text model + image model + poster, for one user (:meth:`run`) or many.

    Build it with :func:`build_pipeline`. Text and image calls for one user run concurrently;
    poster art is generated once per (movie, taste facet) and reused.

    Example:
        >>> pipeline = build_pipeline(Settings.from_env())  # doctest: +SKIP
        >>> result = pipeline.run("u0001", n=3)  # doctest: +SKIP
        >>> result.taglines  # doctest: +SKIP
    """

    def __init__(
        self,
        catalog: Catalog,
        recommender: Recommender,
        text_model: TextModel,
        image_model: ImageModel,
        *,
        settings: Settings | None = None,
        concurrency: int = 8,
        poster_size: tuple[int, int] = (512, 768),
        art_size: tuple[int, int] = (512, 768),
        history_size: int = 5,
        art_cache: ArtCache | None = None,
        text_concurrency: int | None = None,
        image_concurrency: int | None = None,
    ) -> None:
        for name, value in (
            ("concurrency", concurrency),
            ("text_concurrency", text_concurrency),
            ("image_concurrency", image_concurrency),
        ):
            if value is not None and value < 1:
                raise ConfigError(f"{name} must be at least 1, got {value}")
        self.catalog = catalog
        self.recommender = recommender
        self.text_model = text_model
        self.image_model = image_model
        self.settings = settings or Settings()
        self.concurrency = concurrency
        # Calls in flight per model: match these to what each endpoint serves at once
        # (instances × workers) so a small endpoint is not flooded with queued requests.
        # The limits are semaphores around the model calls, not pool sizes: a worker that has
        # just finished a call (decoding, caching) never holds up the next call's dispatch.
        self.text_concurrency = min(concurrency, text_concurrency or concurrency)
        self.image_concurrency = min(concurrency, image_concurrency or concurrency)
        self._text_slots = threading.BoundedSemaphore(self.text_concurrency)
        self._image_slots = threading.BoundedSemaphore(self.image_concurrency)
        self.poster_size = poster_size
        self.art_size = art_size
        self.history_size = history_size
        self.art_cache = art_cache or ArtCache()
        self.calls: Counter[str] = Counter()
        self._count_lock = threading.Lock()

    # -- description --------------------------------------------------------------------------

    @property
    def is_local(self) -> bool:
        return bool(
            self.text_model.is_local or self.image_model.is_local or self.settings.mode == "local"
        )

    def describe(self) -> pd.DataFrame:
        """Which backend does what: a table for the notebook."""
        rows = [
            ("data", self.catalog.source, not self.catalog.source.startswith("s3://")),
            (
                "recommender",
                self.recommender.name,
                not isinstance(self.recommender, PersonalizeRecommender),
            ),
            ("text model", self.text_model.name, self.text_model.is_local),
            ("image model", self.image_model.name, self.image_model.is_local),
        ]
        return pd.DataFrame(rows, columns=["component", "backend", "local"])

    def __str__(self) -> str:
        lines = [f"taglines pipeline ({self.settings.mode} mode)"]
        lines += [f"  {row.component:<12} {row.backend}" for row in self.describe().itertuples()]
        if self.is_local:
            lines.append(
                "  ** LOCAL MODE: no AWS calls. Taglines come from templates and the art is "
                "procedural; posters are marked LOCAL PREVIEW. **"
            )
        return "\n".join(lines)

    # -- steps --------------------------------------------------------------------------------

    def _count(self, name: str) -> None:
        with self._count_lock:
            self.calls[name] += 1

    def recommend(self, user_id: str, n: int = 3) -> pd.DataFrame:
        """The user's recommendations as a table (rank, id, title, genres, year, score)."""
        return recommendations_frame(self.recommender.recommend(user_id, n=n), self.catalog)

    def history(self, user_id: str) -> list[Item]:
        ids = self.catalog.history(user_id, n=self.history_size, distinct=True)["ITEM_ID"]
        return [self.catalog.item(i) for i in ids]

    def facet_for(self, user: User, item: Item, history: Sequence[Item] = ()) -> str:
        watched = top_genres("|".join(h.genres) for h in history)
        return taste_facet(user, item, watched_genres=watched)

    def prompt_for(self, user_id: str, item_id: str, *, others: Sequence[str] = ()) -> str:
        """The exact tagline prompt the text model gets for this user and movie."""
        user, item = self.catalog.user(user_id), self.catalog.item(item_id)
        return build_tagline_prompt(user, item, history=self.history(user_id), others=others)

    def write_tagline(self, prompt: str, *, seed: int | None = None, **params: Any) -> str:
        """Ask the text model and pass the answer through the guard; one retry on a bad answer."""
        last: GenerationError | None = None
        for attempt in range(2):
            extra = dict(params)
            if attempt:
                extra["seed"] = (seed or 0) + attempt  # a different sample the second time
            self._count("text")
            with self._text_slots:
                raw = self.text_model.generate(prompt, **extra)
            try:
                return clean_tagline(raw, prompt=prompt)
            except GenerationError as exc:  # empty or refused: worth one more sample
                log.info("tagline rejected (%s); retrying once", exc)
                last = exc
        assert last is not None
        raise last

    def art_for(self, item: Item, facet: str) -> Image.Image:
        """Poster art for a movie from one taste facet (made once per (item, facet))."""
        return self.art_cache.image(self.request_art(item, facet).result())

    def request_art(self, item: Item, facet: str, *, pool: Any = None) -> Future[tuple[str, str]]:
        """Ask for the art of (item, facet); the future resolves to its cache key when ready.

        With ``pool``, a new image call runs there; without, in the calling thread.
        """

        def make() -> Image.Image:
            prompt, negative = build_poster_prompt(item, taste=facet)
            self._count("image")
            width, height = self.art_size
            with self._image_slots:
                return self.image_model.generate(
                    prompt,
                    negative_prompt=negative,
                    width=width,
                    height=height,
                    seed=stable_seed(item.item_id, facet),
                )

        return self.art_cache.future(
            (item.item_id, facet), make, pool if pool is not None else Now()
        )

    def compose(self, item: Item, tagline: str, art: Image.Image) -> Image.Image:
        badge = LOCAL_BADGE if self.is_local else None
        return compose_poster(art, item.title, tagline, size=self.poster_size, badge=badge)

    # -- one user -----------------------------------------------------------------------------

    def run(self, user_id: str, n: int = 3) -> UserResult:
        """Recommendations, prompts, taglines, art and posters for one user.

        Text and image calls run concurrently (up to ``concurrency`` at a time).

        Raises:
            DataError: unknown user. RecommendationError / GenerationError: a backend failed.
        """
        with (
            ThreadPoolExecutor(self.concurrency, thread_name_prefix="taglines-text") as text_pool,
            ThreadPoolExecutor(self.concurrency, thread_name_prefix="taglines-image") as image_pool,
        ):
            return self.finish(self.start(user_id, n, text_pool=text_pool, image_pool=image_pool))

    def start(
        self, user_id: str, n: int, *, text_pool: ThreadPoolExecutor, image_pool: ThreadPoolExecutor
    ) -> PendingUser:
        """First half of :meth:`run`: recommend, build prompts, and start the text and image calls.

        Returns at once with futures; :meth:`finish` waits for them and composes the posters.
        The batch uses the two halves to keep many users' calls in flight while composing
        (CPU work) happens elsewhere.
        """
        user = self.catalog.user(user_id)
        recs = self.recommender.recommend(user.user_id, n=n)
        known = [
            (rank, r) for rank, r in enumerate(recs, start=1) if self.catalog.has_item(r.item_id)
        ]
        if len(known) < len(recs):
            log.warning(
                "%d recommended item(s) for %s are not in the catalog; skipped",
                len(recs) - len(known),
                user_id,
            )
        if recs and not known:
            raise RecommendationError(
                f"none of the items recommended for {user_id} are in {self.catalog.source}: the "
                "recommender was trained on a different items dataset"
            )
        history = self.history(user.user_id)
        items = [self.catalog.item(r.item_id) for _, r in known]
        facets = [self.facet_for(user, item, history) for item in items]
        prompts = [build_tagline_prompt(user, item, history=history) for item in items]
        texts = [
            text_pool.submit(
                self.write_tagline, prompt, seed=stable_seed(user.user_id, item.item_id)
            )
            for prompt, item in zip(prompts, items, strict=True)
        ]
        arts = [
            self.request_art(item, facet, pool=image_pool)
            for item, facet in zip(items, facets, strict=True)
        ]
        return PendingUser(
            user, recs, known, history, items, facets, prompts, texts, arts, text_pool
        )

    def finish(self, pending: PendingUser) -> UserResult:
        """Second half of :meth:`run`: wait for the calls, fix repeated taglines, compose posters."""
        try:
            taglines = [job.result() for job in pending.texts]
            arts = [self.art_cache.image(job.result()) for job in pending.arts]
        finally:
            pending.cancel()
            pending.release()
        user, items = pending.user, pending.items
        taglines = self._distinct(user, items, pending.history, taglines, pending.text_pool)
        results = []
        for (rank, rec), item, facet, prompt, tagline, art in zip(
            pending.known, items, pending.facets, pending.prompts, taglines, arts, strict=True
        ):
            poster = self.compose(item, tagline, art)
            art_prompt = build_poster_prompt(item, taste=facet)[0]
            results.append(
                ItemResult(
                    user.user_id, item, rank, rec.score, facet, prompt, tagline, art_prompt, poster
                )
            )
        frame = recommendations_frame(pending.recs, self.catalog)
        return UserResult(
            user,
            frame,
            tuple(results),
            {"text": self.text_model.name, "image": self.image_model.name},
        )

    def _distinct(
        self,
        user: User,
        items: list[Item],
        history: list[Item],
        taglines: list[str],
        text_pool: ThreadPoolExecutor,
    ) -> list[str]:
        # Taglines were written concurrently, so none could avoid the others: fix repeats now.
        # The rewrite goes through the text pool too, so calls in flight never exceed its size
        # (nor the text client's connection pool).
        result: list[str] = []
        for item, line in zip(items, taglines, strict=True):
            if line in result:
                prompt = build_tagline_prompt(user, item, history=history, others=result)
                seed = stable_seed(user.user_id, item.item_id, "again")
                line = text_pool.submit(self.write_tagline, prompt, seed=seed).result()
            result.append(line)
        return result

    def compare(self, item_id: str, user_ids: Iterable[str]) -> pd.DataFrame:
        """One movie, several viewers: facet and tagline per user, and their posters.

        Returns a table with a ``poster`` column of images (show them with
        :func:`taglines.contact_sheet`).
        """
        item = self.catalog.item(item_id)
        rows = []
        for user_id in user_ids:
            user = self.catalog.user(user_id)
            history = self.history(user_id)
            facet = self.facet_for(user, item, history)
            prompt = build_tagline_prompt(user, item, history=history)
            tagline = self.write_tagline(prompt, seed=stable_seed(user_id, item_id))
            poster = self.compose(item, tagline, self.art_for(item, facet))
            rows.append(
                {
                    "user_id": user_id,
                    "likes": ", ".join(user.favorite_genres),
                    "facet": facet,
                    "tagline": tagline,
                    "poster": poster,
                }
            )
        return pd.DataFrame(rows)

    def contrasting_users(self, item_id: str, k: int = 3) -> list[str]:
        """Up to ``k`` users who each see this movie from a different facet (their taste).

        A movie with two genres has at most two facets, so fewer than ``k`` may come back.
        """
        item = self.catalog.item(item_id)
        chosen: dict[str, str] = {}
        for user_id in self.catalog.users["USER_ID"]:
            user = self.catalog.user(user_id)
            facet = taste_facet(user, item)
            if facet in user.favorite_genres[:1] and facet not in chosen:
                chosen[facet] = user_id
                if len(chosen) == k:
                    break
        return list(chosen.values())

    def showcase(self, k: int = 3) -> tuple[str, list[str]]:
        """A movie and ``k`` users who each love a different one of its genres (for demos).

        The first movie in the catalog that has such users; else the one with the most.
        """
        best: tuple[str, list[str]] | None = None
        for item_id in self.catalog.items["ITEM_ID"]:
            if len(self.catalog.item(item_id).genres) < 2:
                continue
            users = self.contrasting_users(item_id, k)
            if best is None or len(users) > len(best[1]):
                best = (item_id, users)
            if len(users) == k:
                break
        if best is None:
            raise ConfigError("no movie in the catalog has two genres or more to compare")
        return best

    # -- many users ---------------------------------------------------------------------------

    def run_batch(
        self,
        user_ids: Iterable[str],
        out_dir: str | Path,
        *,
        n: int = 3,
        concurrency: int | None = None,
        resume: bool = True,
        progress: bool = True,
    ) -> BatchReport:
        """Taglines and posters for many users, written to ``out_dir``; see :func:`taglines.batch.run_batch`."""
        from .batch import run_batch

        return run_batch(
            self, user_ids, out_dir, n=n, concurrency=concurrency, resume=resume, progress=progress
        )


def build_pipeline(
    settings: Settings | None = None,
    *,
    catalog: Catalog | None = None,
    concurrency: int = 8,
    clients: dict[str, Any] | None = None,
    **options: Any,
) -> Pipeline:
    """The one factory: data, recommender, text and image models as the settings say.

    Local mode needs nothing. In aws mode: Personalize (recommender or campaign ARN), and for
    text and image a Bedrock model id, the API Gateway URL, or the SageMaker endpoint names.
    boto3 connection pools are sized to ``concurrency``.

    Args:
        settings: defaults to :meth:`Settings.from_env`.
        catalog: reuse a loaded catalog instead of loading ``settings.data_uri``.
        concurrency: users in flight, and calls in flight at most per model (and the size of
            the connection pools). A shared ``sagemaker-runtime`` client passed in ``clients``
            serves both models, so give it ``2 * concurrency`` connections.
        clients: boto3 clients by service name (``"personalize-runtime"``,
            ``"sagemaker-runtime"``, ``"bedrock-runtime"``, ``"s3"``), e.g. for emulators.
        **options: passed to :class:`Pipeline`: ``text_concurrency`` / ``image_concurrency``
            (calls in flight per model; set them to what each endpoint serves at once),
            ``poster_size``, ``art_size``, …

    Example:
        >>> pipeline = build_pipeline(Settings(mode="local"))  # doctest: +SKIP
    """
    settings = settings or Settings.from_env()
    clients = clients or {}
    catalog = catalog or build_catalog(settings, s3_client=clients.get("s3"))
    runtime = clients.get("sagemaker-runtime")
    bedrock = clients.get("bedrock-runtime")
    text = build_text_model(
        settings, client=bedrock if settings.bedrock_text_model else runtime, pool_size=concurrency
    )
    image = build_image_model(
        settings, client=bedrock if settings.bedrock_image_model else runtime, pool_size=concurrency
    )
    recommender = build_recommender(
        settings, catalog, client=clients.get("personalize-runtime"), pool_size=concurrency
    )
    return Pipeline(
        catalog, recommender, text, image, settings=settings, concurrency=concurrency, **options
    )
