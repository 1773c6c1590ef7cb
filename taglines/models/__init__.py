"""Text and image models: transports (how bytes travel) and codecs (what the bytes say)."""

from .base import ImageModel, TextModel, Transport
from .bedrock import BedrockImage, BedrockText
from .codecs import (
    AmazonImageCodec,
    ConverseCodec,
    FalconCodec,
    StabilityImageCodec,
    StableDiffusionCodec,
)
from .endpoints import FalconEndpoint, StableDiffusionEndpoint
from .local_art import LocalPosterArt
from .local_text import LocalTaglineWriter
from .transports import ApiGatewayTransport, BedrockInvokeTransport, SageMakerTransport

__all__ = [
    "AmazonImageCodec",
    "ApiGatewayTransport",
    "BedrockImage",
    "BedrockInvokeTransport",
    "BedrockText",
    "ConverseCodec",
    "FalconCodec",
    "FalconEndpoint",
    "ImageModel",
    "LocalPosterArt",
    "LocalTaglineWriter",
    "SageMakerTransport",
    "StabilityImageCodec",
    "StableDiffusionCodec",
    "StableDiffusionEndpoint",
    "TextModel",
    "Transport",
]
