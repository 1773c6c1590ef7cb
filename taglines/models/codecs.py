"""Payload codecs: one per model family, turning (prompt, params) into bytes and bytes into values.

Codecs are pure: no network, no clients. The transports in :mod:`taglines.models.transports`
carry the bytes; a model class pairs one transport with one codec.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ConfigError, GenerationError

if TYPE_CHECKING:
    from PIL import Image

#: Images above this many pixels are refused (a decompression bomb or a wrong response).
MAX_PIXELS = 4096 * 4096
SOURCE_KEY = "taglines.source"


@dataclass(frozen=True)
class Param:
    """One accepted request parameter: its type and bounds."""

    kind: type | tuple[type, ...]
    low: float | None = None
    high: float | None = None
    exclusive: bool = False
    multiple_of: int | None = None
    max_items: int | None = None


def validate_params(
    spec: Mapping[str, Param], params: Mapping[str, Any], *, what: str
) -> dict[str, Any]:
    """Check ``params`` against ``spec``: known names only, right types, within bounds.

    Raises:
        ConfigError: naming the parameter and what is allowed.
    """
    unknown = sorted(set(params) - set(spec))
    if unknown:
        raise ConfigError(f"unknown {what} parameter(s) {unknown}: allowed are {sorted(spec)}")
    clean: dict[str, Any] = {}
    for name, value in params.items():
        rule = spec[name]
        kinds = rule.kind if isinstance(rule.kind, tuple) else (rule.kind,)
        ok_type = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            ok_type = True
        if not ok_type:
            names = "/".join(k.__name__ for k in kinds)
            raise ConfigError(f"{what} parameter {name} must be {names}, got {value!r}")
        if isinstance(value, list):
            if rule.max_items is not None and len(value) > rule.max_items:
                raise ConfigError(f"{what} parameter {name} takes at most {rule.max_items} items")
            if not all(isinstance(v, str) and v for v in value):
                raise ConfigError(f"{what} parameter {name} must be a list of non-empty strings")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            low_bad = rule.low is not None and (
                value <= rule.low if rule.exclusive else value < rule.low
            )
            high_bad = rule.high is not None and (
                value >= rule.high if rule.exclusive else value > rule.high
            )
            if low_bad or high_bad:
                bounds = f"{'(' if rule.exclusive else '['}{rule.low}, {rule.high}{')' if rule.exclusive else ']'}"
                raise ConfigError(f"{what} parameter {name}={value!r} is outside {bounds}")
            if rule.multiple_of and value % rule.multiple_of:
                raise ConfigError(
                    f"{what} parameter {name}={value!r} must be a multiple of {rule.multiple_of}"
                )
        clean[name] = value
    return clean


def check_prompt(prompt: Any, what: str, limit: int) -> None:
    """A prompt must be non-empty text within ``limit`` characters."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise ConfigError(f"the {what} prompt is empty")
    if len(prompt) > limit:
        raise ConfigError(f"the {what} prompt has {len(prompt)} characters; the limit is {limit}")


def _json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise GenerationError(f"{what} returned a body that is not JSON: {snippet(body)}") from exc


def snippet(body: bytes | str, limit: int = 200) -> str:
    """The start of a response body, for error messages."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


def label_image(image: Image.Image, source: str) -> Image.Image:
    """Record where an image came from in its metadata (``image.info``)."""
    image.info[SOURCE_KEY] = source
    return image


def _open_image(data: bytes, what: str) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise GenerationError(
                f"{what} returned a {image.width}×{image.height} image, larger than allowed"
            )
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise GenerationError(
            f"{what} returned data that is not an image ({len(data)} bytes)"
        ) from exc
    return image.convert("RGB")


def decode_base64_image(value: Any, what: str) -> Image.Image:
    """A PIL image from a base64 string (JPEG or PNG)."""
    if not isinstance(value, str) or not value:
        raise GenerationError(
            f"{what} returned an image that is not a base64 string: {snippet(str(value))}"
        )
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise GenerationError(f"{what} returned an image that is not valid base64") from exc
    return _open_image(data, what)


def image_from_pixels(pixels: Any, what: str) -> Image.Image:
    """A PIL image from a nested H×W×3 list of 0–255 values (JumpStart's array responses)."""
    import numpy as np
    from PIL import Image

    try:
        array = np.asarray(pixels, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GenerationError(f"{what} returned pixels that are not a numeric array") from exc
    if array.ndim != 3 or array.shape[2] not in (3, 4) or array.size == 0:
        raise GenerationError(
            f"{what} returned pixels of shape {array.shape}, expected height×width×3"
        )
    if array.shape[0] * array.shape[1] > MAX_PIXELS:
        raise GenerationError(
            f"{what} returned a {array.shape[1]}×{array.shape[0]} image, larger than allowed"
        )
    if np.isnan(array).any() or array.min() < 0 or array.max() > 255:
        raise GenerationError(f"{what} returned pixel values outside 0–255")
    return Image.fromarray(array[:, :, :3].round().astype(np.uint8), mode="RGB")


# -- text: Falcon on Hugging Face TGI ---------------------------------------------------------

TGI_PARAMS: dict[str, Param] = {
    "max_new_tokens": Param(int, 1, 1024),
    "temperature": Param(float, 0.0, 5.0, exclusive=True),
    "top_p": Param(float, 0.0, 1.0, exclusive=True),  # TGI rejects 0 and 1
    "top_k": Param(int, 1, 1000),
    "do_sample": Param(bool),
    "stop": Param(list, max_items=4),
    "return_full_text": Param(bool),
    "repetition_penalty": Param(float, 0.0, 10.0, exclusive=True),
    "seed": Param(int, 0, 2**63 - 1),
    "truncate": Param(int, 1, 8192),
}


@dataclass(frozen=True)
class FalconCodec:
    """Text Generation Inference JSON, as served by JumpStart's Falcon-40B-Instruct.

    Request ``{"inputs": prompt, "parameters": {...}}``; response
    ``[{"generated_text": "..."}]``. Defaults suit a one-line tagline.
    """

    content_type: str = "application/json"
    accept: str = "application/json"
    max_prompt_chars: int = 12_000

    defaults: ClassVar[dict[str, Any]] = {
        "max_new_tokens": 40,
        "temperature": 0.8,
        "top_p": 0.9,
        "do_sample": True,
        "repetition_penalty": 1.1,
        "stop": ["\n\n", "\nViewer", "<|endoftext|>"],
        "return_full_text": False,
    }

    def encode(self, prompt: str, **params: Any) -> bytes:
        check_prompt(prompt, "text", self.max_prompt_chars)
        parameters = validate_params(TGI_PARAMS, {**self.defaults, **params}, what="text")
        return json.dumps({"inputs": prompt, "parameters": parameters}).encode("utf-8")

    def decode(self, body: bytes, what: str = "the text model") -> str:
        data = _json(body, what)
        first = data[0] if isinstance(data, list) and data else data
        if isinstance(first, list) and first:  # batched responses nest one level deeper
            first = first[0]
        text = first.get("generated_text") if isinstance(first, Mapping) else None
        if not isinstance(text, str):
            raise GenerationError(
                f"{what} returned JSON without generated_text: {snippet(body)}; is the endpoint "
                "running the Hugging Face TGI container (JumpStart Falcon)?"
            )
        return text


# -- image: JumpStart Stable Diffusion 2.1 ----------------------------------------------------

SD_PARAMS: dict[str, Param] = {
    "negative_prompt": Param(str),
    "width": Param(int, 64, 1024, multiple_of=8),
    "height": Param(int, 64, 1024, multiple_of=8),
    "num_images_per_prompt": Param(int, 1, 4),
    "num_inference_steps": Param(int, 1, 150),
    "guidance_scale": Param(float, 0.0, 30.0),
    "seed": Param(int, 0, 2**32 - 1),
}


@dataclass(frozen=True)
class StableDiffusionCodec:
    """JumpStart Stable Diffusion 2.1 base: JSON request, base64 JPEGs back.

    Request ``{"prompt", "negative_prompt", "width", "height", "num_inference_steps",
    "guidance_scale", "seed"}`` with ``Accept: application/json;jpeg``; response
    ``{"generated_images": [base64 JPEG, …], "prompt": …}``. Also decodes the pixel-array
    forms: ``generated_images`` as nested arrays (``Accept: application/json``) and the older
    ``{"generated_image": H×W×3 array}``.
    """

    content_type: str = "application/json"
    accept: str = "application/json;jpeg"
    max_prompt_chars: int = 2_000

    defaults: ClassVar[dict[str, Any]] = {
        "width": 512,
        "height": 512,
        "num_inference_steps": 30,
        "guidance_scale": 7.5,
    }

    def encode(self, prompt: str, **params: Any) -> bytes:
        check_prompt(prompt, "image", self.max_prompt_chars)
        params = {k: v for k, v in params.items() if v is not None}
        payload = validate_params(SD_PARAMS, {**self.defaults, **params}, what="image")
        return json.dumps({"prompt": prompt, **payload}).encode("utf-8")

    def decode(self, body: bytes, what: str = "the image model") -> Image.Image:
        data = _json(body, what)
        if not isinstance(data, Mapping):
            raise GenerationError(f"{what} returned JSON that is not an object: {snippet(body)}")
        if "generated_images" in data:
            images = data["generated_images"]
            if not isinstance(images, list) or not images:
                raise GenerationError(f"{what} returned no images: {snippet(body)}")
            first = images[0]
            if isinstance(first, str):
                return decode_base64_image(first, what)
            return image_from_pixels(first, what)
        if "generated_image" in data:
            return image_from_pixels(data["generated_image"], what)
        raise GenerationError(
            f"{what} returned JSON without generated_images: {snippet(body)}; is the endpoint "
            "running JumpStart Stable Diffusion (model-txt2img-…)?"
        )


# -- Bedrock ----------------------------------------------------------------------------------

CONVERSE_PARAMS: dict[str, Param] = {
    "max_tokens": Param(int, 1, 4096),
    "temperature": Param(float, 0.0, 1.0),
    "top_p": Param(float, 0.0, 1.0),
    "stop": Param(list, max_items=4),
}


@dataclass(frozen=True)
class ConverseCodec:
    """Bedrock's model-agnostic ``converse`` request and response."""

    system: str = (
        "You write short, vivid, personalized movie taglines. Answer with the tagline only."
    )
    defaults: ClassVar[dict[str, Any]] = {"max_tokens": 60, "temperature": 0.8, "top_p": 0.9}

    def request(self, model_id: str, prompt: str, **params: Any) -> dict[str, Any]:
        check_prompt(prompt, "text", 100_000)
        p = validate_params(CONVERSE_PARAMS, {**self.defaults, **params}, what="Bedrock text")
        config: dict[str, Any] = {
            "maxTokens": p["max_tokens"],
            "temperature": p["temperature"],
            "topP": p["top_p"],
        }
        if p.get("stop"):
            config["stopSequences"] = p["stop"]
        return {
            "modelId": model_id,
            "messages": [{"role": "user", "content": [{"text": prompt}]}],
            "system": [{"text": self.system}],
            "inferenceConfig": config,
        }

    def parse(self, response: Mapping[str, Any], what: str) -> str:
        stop = response.get("stopReason")
        if stop in ("content_filtered", "guardrail_intervened"):
            raise GenerationError(f"{what} stopped with {stop}: the prompt or answer was filtered")
        content = (response.get("output") or {}).get("message", {}).get("content")
        texts = [
            block["text"]
            for block in content or []
            if isinstance(block, Mapping) and "text" in block
        ]
        if not texts:
            raise GenerationError(
                f"{what} returned no text: {snippet(json.dumps(response, default=str))}"
            )
        return "".join(texts)


IMAGE_PARAMS: dict[str, Param] = {
    "negative_prompt": Param(str),
    "width": Param(int, 256, 2048, multiple_of=16),
    "height": Param(int, 256, 2048, multiple_of=16),
    "seed": Param(int, 0, 2_147_483_646),
    "cfg_scale": Param(float, 1.1, 10.0),
    "quality": Param(str),
}


@dataclass(frozen=True)
class AmazonImageCodec:
    """Amazon Nova Canvas / Titan Image Generator ``TEXT_IMAGE`` task via ``invoke_model``."""

    content_type: str = "application/json"
    accept: str = "application/json"
    defaults: ClassVar[dict[str, Any]] = {
        "width": 512,
        "height": 512,
        "cfg_scale": 8.0,
        "quality": "standard",
    }

    def encode(self, prompt: str, **params: Any) -> bytes:
        params = {k: v for k, v in params.items() if v is not None}
        p = validate_params(IMAGE_PARAMS, {**self.defaults, **params}, what="Bedrock image")
        text_params: dict[str, Any] = {"text": prompt[:1024]}
        if p.get("negative_prompt"):
            text_params["negativeText"] = p["negative_prompt"][:1024]
        config: dict[str, Any] = {
            "numberOfImages": 1,
            "width": p["width"],
            "height": p["height"],
            "cfgScale": p["cfg_scale"],
            "quality": p["quality"],
        }
        if "seed" in p:
            config["seed"] = p["seed"]
        body = {
            "taskType": "TEXT_IMAGE",
            "textToImageParams": text_params,
            "imageGenerationConfig": config,
        }
        return json.dumps(body).encode("utf-8")

    def decode(self, body: bytes, what: str = "the image model") -> Image.Image:
        data = _json(body, what)
        if isinstance(data, Mapping) and data.get("error"):
            raise GenerationError(f"{what} reported an error: {data['error']}")
        images = data.get("images") if isinstance(data, Mapping) else None
        if not images:
            raise GenerationError(f"{what} returned no images: {snippet(body)}")
        return decode_base64_image(images[0], what)


_ASPECTS = {
    "16:9": 16 / 9,
    "1:1": 1.0,
    "21:9": 21 / 9,
    "2:3": 2 / 3,
    "3:2": 3 / 2,
    "4:5": 0.8,
    "5:4": 1.25,
    "9:16": 9 / 16,
    "9:21": 9 / 21,
}


@dataclass(frozen=True)
class StabilityImageCodec:
    """Stability AI models on Bedrock (``prompt`` → ``{"images": [base64], "finish_reasons"}``)."""

    content_type: str = "application/json"
    accept: str = "application/json"
    defaults: ClassVar[dict[str, Any]] = {"width": 512, "height": 512}

    def encode(self, prompt: str, **params: Any) -> bytes:
        params = {k: v for k, v in params.items() if v is not None}
        p = validate_params(IMAGE_PARAMS, {**self.defaults, **params}, what="Bedrock image")
        ratio = p["width"] / p["height"]
        aspect = min(_ASPECTS, key=lambda k: abs(_ASPECTS[k] - ratio))
        body: dict[str, Any] = {"prompt": prompt, "aspect_ratio": aspect, "output_format": "png"}
        if p.get("negative_prompt"):
            body["negative_prompt"] = p["negative_prompt"]
        if "seed" in p:
            body["seed"] = p["seed"]
        return json.dumps(body).encode("utf-8")

    def decode(self, body: bytes, what: str = "the image model") -> Image.Image:
        data = _json(body, what)
        if not isinstance(data, Mapping):
            raise GenerationError(f"{what} returned JSON that is not an object: {snippet(body)}")
        reasons = data.get("finish_reasons") or []
        if reasons and reasons[0]:
            raise GenerationError(f"{what} did not return an image: {reasons[0]}")
        images = data.get("images")
        if not images:
            raise GenerationError(f"{what} returned no images: {snippet(body)}")
        return decode_base64_image(images[0], what)
