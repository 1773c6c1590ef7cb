"""JumpStart models behind SageMaker endpoints: Falcon-40B-Instruct (text), Stable Diffusion 2.1."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from .base import Transport
from .codecs import FalconCodec, StableDiffusionCodec, label_image
from .transports import ApiGatewayTransport, SageMakerTransport

if TYPE_CHECKING:
    from PIL import Image


def _transport(
    purpose: str,
    route: str,
    endpoint_name: str | None,
    client: Any,
    api_url: str | None,
    api_key: str | None,
    region: str | None,
    transport: Transport | None,
    http_options: dict[str, Any],
) -> Transport:
    chosen = [x for x in (endpoint_name, api_url, transport) if x]
    if len(chosen) != 1:
        raise ConfigError(
            f"the {purpose} model needs exactly one of endpoint_name= (SageMaker runtime), "
            "api_url= (API Gateway) or transport="
        )
    if transport is not None:
        return transport
    if api_url:
        return ApiGatewayTransport(
            f"{api_url.rstrip('/')}/{route}", api_key=api_key, region=region, **http_options
        )
    if client is None:
        from ..aws import make_client

        client = make_client("sagemaker-runtime", region=region)
    return SageMakerTransport(endpoint_name, client=client, purpose=purpose)  # type: ignore[arg-type]


class FalconEndpoint:
    """Falcon-40B-Instruct from SageMaker JumpStart (TGI container): prompt in, text out.

    Reached through the SageMaker runtime (``endpoint_name=``, ``client=``) or an API Gateway
    URL (``api_url=``, route ``/text``; SigV4-signed, or ``api_key=``).

    Example:
        >>> falcon = FalconEndpoint("taglines-falcon-40b", client=runtime)  # doctest: +SKIP
        >>> falcon.generate(prompt, temperature=0.7)  # doctest: +SKIP
        'Every lock in Berlin has a secret.'
    """

    is_local = False

    def __init__(
        self,
        endpoint_name: str | None = None,
        *,
        client: Any = None,
        api_url: str | None = None,
        api_key: str | None = None,
        region: str | None = None,
        transport: Transport | None = None,
        codec: FalconCodec | None = None,
        **http_options: Any,
    ) -> None:
        self.transport = _transport(
            "text", "text", endpoint_name, client, api_url, api_key, region, transport, http_options
        )
        self.codec = codec or FalconCodec()
        self.name = f"Falcon-40B-Instruct via {self.transport.describe()}"

    def generate(self, prompt: str, **params: Any) -> str:
        """Raw generated text for ``prompt`` (pass it through :func:`taglines.clean_tagline`).

        Args:
            prompt: the instruction prompt.
            **params: TGI parameters overriding the defaults (``max_new_tokens``,
                ``temperature``, ``top_p``, ``top_k``, ``do_sample``, ``stop``, ``seed``, …).
        """
        body = self.codec.encode(prompt, **params)
        data = self.transport.invoke(
            body, content_type=self.codec.content_type, accept=self.codec.accept
        )
        return self.codec.decode(data, what=self.transport.describe())


class StableDiffusionEndpoint:
    """Stable Diffusion 2.1 base from SageMaker JumpStart: prompt in, ``PIL.Image`` out.

    Reached through the SageMaker runtime (``endpoint_name=``) or an API Gateway URL
    (``api_url=``, route ``/image``).

    Example:
        >>> sd = StableDiffusionEndpoint("taglines-sd21", client=runtime)  # doctest: +SKIP
        >>> sd.generate("a lighthouse in a storm", seed=7).size  # doctest: +SKIP
        (512, 512)
    """

    is_local = False

    def __init__(
        self,
        endpoint_name: str | None = None,
        *,
        client: Any = None,
        api_url: str | None = None,
        api_key: str | None = None,
        region: str | None = None,
        transport: Transport | None = None,
        codec: StableDiffusionCodec | None = None,
        **http_options: Any,
    ) -> None:
        self.transport = _transport(
            "image",
            "image",
            endpoint_name,
            client,
            api_url,
            api_key,
            region,
            transport,
            http_options,
        )
        self.codec = codec or StableDiffusionCodec()
        self.name = f"Stable Diffusion 2.1 via {self.transport.describe()}"

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
        """One image for ``prompt`` (extra ``params``: ``num_inference_steps``, ``guidance_scale``)."""
        body = self.codec.encode(
            prompt, negative_prompt=negative_prompt, width=width, height=height, seed=seed, **params
        )
        data = self.transport.invoke(
            body, content_type=self.codec.content_type, accept=self.codec.accept
        )
        return label_image(self.codec.decode(data, what=self.transport.describe()), self.name)
