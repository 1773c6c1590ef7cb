"""Test doubles that implement the model interfaces (for pipeline and batch tests)."""

from __future__ import annotations

import threading
import time
from typing import Any

from PIL import Image

from taglines import GenerationError
from taglines.models import LocalPosterArt, LocalTaglineWriter


class ScriptedText:
    """Answers from a script (then the local writer); can fail for chosen movie titles."""

    name = "scripted text"
    is_local = False

    def __init__(
        self,
        answers: list[str] | None = None,
        fail_titles: tuple[str, ...] = (),
        delay: float = 0.0,
    ) -> None:
        self.answers = list(answers or [])
        self.fail_titles = fail_titles
        self.delay = delay
        self.prompts: list[str] = []
        self._lock = threading.Lock()
        self._local = LocalTaglineWriter()

    def generate(self, prompt: str, **params: Any) -> str:
        time.sleep(self.delay)
        with self._lock:
            self.prompts.append(prompt)
            if any(f"title: {t}\n" in prompt for t in self.fail_titles):
                raise GenerationError(f"endpoint failed for {self.fail_titles}")
            if self.answers:
                return self.answers.pop(0)
        return self._local.generate(prompt, **params)


class CountingArt:
    """Local art, counting calls per prompt; optionally slow."""

    name = "counting art"
    is_local = False

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[str] = []
        self._lock = threading.Lock()
        self._art = LocalPosterArt()

    def generate(self, prompt: str, **params: Any) -> Image.Image:
        time.sleep(self.delay)
        with self._lock:
            self.calls.append(prompt)
        return self._art.generate(prompt, **params)
