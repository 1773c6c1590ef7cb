"""Bounded polling, progress lines, and AWS errors turned into ProvisioningErrors with context."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import ProvisioningError

if TYPE_CHECKING:
    from ..config import Settings

log = logging.getLogger("taglines.provision")

Progress = Callable[[str], None]


def say(progress: Progress | None, message: str) -> None:
    """Report a progress line: to ``progress`` if given, else the ``taglines.provision`` log."""
    if progress is not None:
        progress(message)
    else:
        log.info(message)


def wait_until(
    describe: Callable[[], tuple[str, str | None]],
    *,
    what: str,
    ok: tuple[str, ...] = ("ACTIVE",),
    failed: tuple[str, ...] = ("CREATE FAILED",),
    timeout: float,
    poll: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    progress: Progress | None = None,
) -> str:
    """Poll ``describe() -> (status, failure_reason)`` until a status in ``ok``.

    Raises:
        ProvisioningError: on a failed status (with the reason) or after ``timeout`` seconds.
    """
    start = clock()
    last = None
    while True:
        status, reason = describe()
        elapsed = clock() - start
        if status != last:
            say(progress, f"{what}: {status} ({elapsed:.0f} s)")
            last = status
        if status in ok:
            return status
        if status in failed:
            raise ProvisioningError(
                f"{what} is {status}: {reason or 'no reason given'}. Fix the cause, run "
                "`python -m taglines teardown` to remove the leftovers, then provision again"
            )
        if elapsed >= timeout:
            raise ProvisioningError(
                f"{what} is still {status} after {elapsed / 60:.0f} min; nothing is lost: run "
                "`python -m taglines provision` again later and it continues where it stopped"
            )
        sleep(poll)


def wait_gone(
    exists: Callable[[], bool],
    *,
    what: str,
    timeout: float,
    poll: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Poll until ``exists()`` is false (deletes are asynchronous), at most ``timeout`` seconds."""
    start = clock()
    while exists():
        if clock() - start >= timeout:
            raise ProvisioningError(
                f"{what} is still being deleted after {timeout / 60:.0f} min; run "
                "`python -m taglines teardown` again later to finish"
            )
        sleep(poll)


@contextmanager
def aws_step(step: str, settings: Settings) -> Iterator[None]:
    """Turn an unexpected AWS failure during ``step`` into a ProvisioningError saying what to check."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise ProvisioningError(
            f"{step} failed in {settings.region} ({error.get('Code')}): {error.get('Message')}; "
            "check that your role may do this, then run the command again (it is idempotent)"
        ) from exc
    except BotoCoreError as exc:
        raise ProvisioningError(
            f"{step} failed: {exc}; check your credentials, the region ({settings.region}) and "
            "network access, then run the command again (it is idempotent)"
        ) from exc
