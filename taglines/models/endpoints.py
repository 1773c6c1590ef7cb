"""JumpStart models behind SageMaker endpoints: Falcon-40B-Instruct (text), Stable Diffusion 2.1."""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError
from .base import CodecImageModel, CodecTextModel, Transport
from .codecs import FalconCodec, StableDiffusionCodec
from .transports import ApiGatewayTransport, SageMakerTransport


class _Endpoint:
    """How a JumpStart model is reached: SageMaker runtime, API Gateway route, or a transport."""

    purpose: str  # "text" or "image": the API Gateway route and the deploy hint in errors
    label: str
    codec_class: type

    def __init__(
        self,
        endpoint_name: str | None = None,
        *,
        client: Any = None,
        api_url: str | None = None,
        api_key: str | None = None,
        region: str | None = None,
        transport: Transport | None = None,
        codec: Any = None,
        **http_options: Any,
    ) -> None:
        if len([x for x in (endpoint_name, api_url, transport) if x]) != 1:
            raise ConfigError(
                f"the {self.purpose} model needs exactly one of endpoint_name= (SageMaker "
                "runtime), api_url= (API Gateway) or transport="
            )
        if transport is None and api_url:
            url = f"{api_url.rstrip('/')}/{self.purpose}"
            transport = ApiGatewayTransport(url, api_key=api_key, region=region, **http_options)
        elif transport is None:
            if client is None:
                from ..aws import make_client

                client = make_client("sagemaker-runtime", region=region)
            transport = SageMakerTransport(endpoint_name, client=client, purpose=self.purpose)  # type: ignore[arg-type]
        self.transport = transport
        self.codec = codec or self.codec_class()
        self.name = f"{self.label} via {self.transport.describe()}"


class FalconEndpoint(_Endpoint, CodecTextModel):
    """Falcon-40B-Instruct from SageMaker JumpStart (TGI container): prompt in, text out.

    Reached through the SageMaker runtime (``endpoint_name=``, ``client=``) or an API Gateway
    URL (``api_url=``, route ``/text``; SigV4-signed, or ``api_key=``). ``generate(prompt,
    **params)`` takes TGI parameters (``max_new_tokens``, ``temperature``, ``top_p``,
    ``top_k``, ``do_sample``, ``stop``, ``seed``, …) over tagline-sized defaults.

    Example:
        >>> falcon = FalconEndpoint("taglines-falcon-40b", client=runtime)  # doctest: +SKIP
        >>> falcon.generate(prompt, temperature=0.7)  # doctest: +SKIP
        'Every lock in Berlin has a secret.'
    """

    purpose = "text"
    label = "Falcon-40B-Instruct"
    codec_class = FalconCodec


class StableDiffusionEndpoint(_Endpoint, CodecImageModel):
    """Stable Diffusion 2.1 base from SageMaker JumpStart: prompt in, ``PIL.Image`` out.

    Reached through the SageMaker runtime (``endpoint_name=``) or an API Gateway URL
    (``api_url=``, route ``/image``). Extra ``generate`` parameters: ``num_inference_steps``,
    ``guidance_scale``.

    Example:
        >>> sd = StableDiffusionEndpoint("taglines-sd21", client=runtime)  # doctest: +SKIP
        >>> sd.generate("a lighthouse in a storm", seed=7).size  # doctest: +SKIP
        (512, 512)
    """

    purpose = "image"
    label = "Stable Diffusion 2.1"
    codec_class = StableDiffusionCodec
