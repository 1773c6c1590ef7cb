"""Bedrock text (converse) and image (invoke_model) models against botocore's Stubber."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber

from taglines import ConfigError, GenerationError, Settings, build_image_model, build_text_model
from taglines.models import AmazonImageCodec, BedrockImage, BedrockText, StabilityImageCodec
from taglines.models.codecs import SOURCE_KEY
from tests.aws.stubs import jpeg_b64, streaming
from tests.conftest import REGION

ARN = "arn:aws:personalize:us-east-1:123456789012:recommender/x"


@pytest.fixture
def bedrock():
    client = boto3.client("bedrock-runtime", region_name=REGION)
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def _converse_response(text, stop="end_turn"):
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": stop,
        "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15},
        "metrics": {"latencyMs": 120},
    }


def test_converse_request_and_answer(bedrock):
    client, stub = bedrock
    model = BedrockText("amazon.nova-lite-v1:0", client=client)
    request = model.codec.request("amazon.nova-lite-v1:0", "Write one tagline.", temperature=0.5)
    stub.add_response(
        "converse", _converse_response("Every fare has a price."), expected_params=request
    )
    assert model.generate("Write one tagline.", temperature=0.5) == "Every fare has a price."
    assert request["inferenceConfig"]["temperature"] == 0.5
    assert "Bedrock amazon.nova-lite-v1:0" in model.name


@pytest.mark.parametrize(
    ("code", "needle"),
    [
        ("AccessDeniedException", "Model access"),
        ("ValidationException", "check the model id"),
        ("ThrottlingException", "lower the concurrency"),
        ("ResourceNotFoundException", "offered in this region"),
    ],
)
def test_converse_errors(bedrock, code, needle):
    client, stub = bedrock
    stub.add_client_error("converse", code, "nope", 400)
    with pytest.raises(GenerationError, match=needle):
        BedrockText("amazon.nova-lite-v1:0", client=client).generate("x")


def test_converse_filtered(bedrock):
    client, stub = bedrock
    stub.add_response("converse", _converse_response("", stop="content_filtered"))
    with pytest.raises(GenerationError, match="filtered"):
        BedrockText("amazon.nova-lite-v1:0", client=client).generate("x")


@pytest.mark.parametrize(
    ("model_id", "codec", "response"),
    [
        ("amazon.nova-canvas-v1:0", AmazonImageCodec(), {"images": [jpeg_b64(size=(512, 512))]}),
        (
            "amazon.titan-image-generator-v2:0",
            AmazonImageCodec(),
            {"images": [jpeg_b64(size=(512, 512))]},
        ),
        (
            "stability.sd3-5-large-v1:0",
            StabilityImageCodec(),
            {"images": [jpeg_b64(size=(512, 512))], "seeds": [4], "finish_reasons": [None]},
        ),
        (
            "us.stability.stable-image-core-v1:1",
            StabilityImageCodec(),
            {"images": [jpeg_b64(size=(512, 512))], "seeds": [4], "finish_reasons": [None]},
        ),
    ],
)
def test_image_models_pick_the_codec_by_model_id(bedrock, model_id, codec, response):
    client, stub = bedrock
    body = codec.encode("a lighthouse", negative_prompt="text", width=512, height=512, seed=4)
    stub.add_response(
        "invoke_model",
        {"body": streaming(json.dumps(response).encode()), "contentType": "application/json"},
        expected_params={
            "modelId": model_id,
            "body": body,
            "contentType": "application/json",
            "accept": "application/json",
        },
    )
    image = BedrockImage(model_id, client=client).generate(
        "a lighthouse", negative_prompt="text", seed=4
    )
    assert image.size == (512, 512)
    assert model_id in image.info[SOURCE_KEY]


def test_image_errors(bedrock):
    client, stub = bedrock
    stub.add_client_error(
        "invoke_model", "AccessDeniedException", "You don't have access to the model", 403
    )
    with pytest.raises(GenerationError, match="Model access"):
        BedrockImage("amazon.nova-canvas-v1:0", client=client).generate("x")
    stub.add_response(
        "invoke_model",
        {
            "body": streaming(b'{"images": [], "finish_reasons": ["Filter reason: output image"]}'),
            "contentType": "application/json",
        },
    )
    with pytest.raises(GenerationError, match="Filter reason"):
        BedrockImage("stability.sd3-5-large-v1:0", client=client).generate("x")


def test_unknown_image_family():
    with pytest.raises(ConfigError, match="no image codec"):
        BedrockImage(
            "meta.llama3-70b-instruct-v1:0",
            client=boto3.client("bedrock-runtime", region_name=REGION),
        )


def test_factory_prefers_bedrock_model_ids():
    settings = Settings(
        mode="aws",
        region=REGION,
        recommender_arn=ARN,
        bedrock_text_model="amazon.nova-lite-v1:0",
        bedrock_image_model="amazon.nova-canvas-v1:0",
    )
    assert isinstance(build_text_model(settings), BedrockText)
    assert isinstance(build_image_model(settings), BedrockImage)


def test_factory_explains_what_is_missing():
    settings = Settings(mode="aws", region=REGION, recommender_arn=ARN)
    with pytest.raises(
        ConfigError, match="TAGLINES_TEXT_ENDPOINT.*TAGLINES_API_URL.*TAGLINES_BEDROCK_TEXT_MODEL"
    ):
        build_text_model(settings)
    with pytest.raises(ConfigError, match="TAGLINES_IMAGE_ENDPOINT"):
        build_image_model(settings)
