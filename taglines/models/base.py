"""The interfaces every text and image model implements, local or remote."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PIL import Image


@runtime_checkable
class TextModel(Protocol):
    """Writes text for a prompt. ``name`` says which backend; ``is_local`` marks local stand-ins."""

    name: str
    is_local: bool

    def generate(self, prompt: str, **params: Any) -> str: ...


@runtime_checkable
class ImageModel(Protocol):
    """Draws an image for a prompt. ``name`` says which backend; ``is_local`` marks local art."""

    name: str
    is_local: bool

    def generate(
        self,
        prompt: str,
        *,
        negative_prompt: str | None = None,
        width: int = 512,
        height: int = 512,
        seed: int | None = None,
        **params: Any,
    ) -> Image.Image: ...


class Transport(Protocol):
    """Carries request bytes to a model and returns the response bytes."""

    def describe(self) -> str: ...

    def invoke(self, body: bytes, *, content_type: str, accept: str) -> bytes: ...
