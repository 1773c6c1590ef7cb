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


class CodecModel:
    """A model made of one transport and one payload codec (see the subclasses below)."""

    transport: Transport
    codec: Any
    name: str
    is_local = False

    def _invoke(self, body: bytes) -> bytes:
        return self.transport.invoke(
            body, content_type=self.codec.content_type, accept=self.codec.accept
        )


class CodecTextModel(CodecModel):
    """Text through a codec: ``encode(prompt, **params)`` → transport → ``decode`` → str."""

    def generate(self, prompt: str, **params: Any) -> str:
        """Raw generated text for ``prompt`` (pass it through :func:`taglines.clean_tagline`)."""
        body = self.codec.encode(prompt, **params)
        return self.codec.decode(self._invoke(body), what=self.transport.describe())


class CodecImageModel(CodecModel):
    """Images through a codec; the result is labelled with the model's name in ``image.info``."""

    def generate(
        self,
        prompt: str,
        *,
        negative_prompt: str | None = None,
        width: int = 512,
        height: int = 512,
        seed: int | None = None,
        **params: Any,
    ) -> Image.Image:
        """One image for ``prompt``; extra ``params`` go to the codec."""
        from .codecs import label_image

        body = self.codec.encode(
            prompt, negative_prompt=negative_prompt, width=width, height=height, seed=seed, **params
        )
        return label_image(
            self.codec.decode(self._invoke(body), what=self.transport.describe()), self.name
        )
