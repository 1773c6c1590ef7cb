"""Amazon Bedrock alternatives: text through ``converse``, images through ``invoke_model``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, GenerationError
from .base import CodecImageModel
from .codecs import AmazonImageCodec, ConverseCodec, StabilityImageCodec
from .transports import BedrockInvokeTransport, bedrock_error

if TYPE_CHECKING:
    pass


def _client(client: Any, region: str | None) -> Any:
    if client is not None:
        return client
    from ..aws import make_client

    return make_client("bedrock-runtime", region=region)


class BedrockText:
    """Any Bedrock text model through the model-agnostic ``converse`` API.

    Example:
        >>> text = BedrockText("amazon.nova-lite-v1:0", client=bedrock_runtime)  # doctest: +SKIP
        >>> text.generate(prompt)  # doctest: +SKIP
    """

    is_local = False

    def __init__(
        self,
        model_id: str,
        *,
        client: Any = None,
        region: str | None = None,
        codec: ConverseCodec | None = None,
    ) -> None:
        if not model_id:
            raise ConfigError("BedrockText needs a model id (TAGLINES_BEDROCK_TEXT_MODEL)")
        self.model_id = model_id
        self.client = _client(client, region)
        self.codec = codec or ConverseCodec()
        self.name = f"Bedrock {model_id} (converse) in {self.client.meta.region_name}"

    def generate(self, prompt: str, **params: Any) -> str:
        """Raw text for ``prompt`` (params: ``max_tokens``, ``temperature``, ``top_p``, ``stop``)."""
        from botocore.exceptions import BotoCoreError, ClientError

        request = self.codec.request(self.model_id, prompt, **params)
        try:
            response = self.client.converse(**request)
        except ClientError as exc:
            raise bedrock_error(exc, f"Bedrock model {self.model_id!r}") from exc
        except BotoCoreError as exc:
            raise GenerationError(f"could not reach Bedrock for {self.model_id!r}: {exc}") from exc
        return self.codec.parse(response, f"Bedrock model {self.model_id!r}")


def image_codec_for(model_id: str) -> AmazonImageCodec | StabilityImageCodec:
    """The payload codec for a Bedrock image model id (Amazon Nova/Titan or Stability)."""
    bare = model_id.split(":", 1)[0].split(".")
    family = bare[1] if len(bare) > 2 and bare[0] in ("us", "eu", "apac", "global") else bare[0]
    if family == "amazon":
        return AmazonImageCodec()
    if family == "stability":
        return StabilityImageCodec()
    raise ConfigError(
        f"no image codec for Bedrock model {model_id!r}: use an Amazon model "
        "(amazon.nova-canvas-v1:0, amazon.titan-image-generator-v2:0) or a stability.* model"
    )


class BedrockImage(CodecImageModel):
    """A Bedrock image model through ``invoke_model``: Amazon Nova Canvas / Titan, or Stability.

    Example:
        >>> art = BedrockImage("amazon.nova-canvas-v1:0", client=bedrock_runtime)  # doctest: +SKIP
        >>> art.generate("a lighthouse in a storm", seed=7)  # doctest: +SKIP
    """

    def __init__(self, model_id: str, *, client: Any = None, region: str | None = None) -> None:
        self.codec = image_codec_for(model_id)
        self.transport = BedrockInvokeTransport(model_id, client=_client(client, region))
        self.model_id = model_id
        self.name = f"Bedrock {model_id} (invoke_model) in {self.transport.client.meta.region_name}"
