"""FalconEndpoint and StableDiffusionEndpoint over the SageMaker runtime: Stubber and moto."""

from __future__ import annotations

import boto3
import pytest
import requests
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber
from moto import mock_aws

from taglines import GenerationError, Settings, build_image_model, build_text_model
from taglines.models import (
    FalconCodec,
    FalconEndpoint,
    StableDiffusionCodec,
    StableDiffusionEndpoint,
)
from taglines.models.codecs import SOURCE_KEY
from taglines.models.transports import SageMakerTransport
from tests.aws.stubs import sd_body, streaming, tgi_body
from tests.conftest import REGION

PROMPT = "Write one tagline.\n\n<movie>\ntitle: Night Cab\n</movie>\n\nTagline:"


@pytest.fixture
def runtime():
    client = boto3.client("sagemaker-runtime", region_name=REGION)
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def _expect(
    stub,
    endpoint,
    body,
    response_body,
    *,
    accept="application/json",
    content_type="application/json",
):
    stub.add_response(
        "invoke_endpoint",
        {"Body": streaming(response_body), "ContentType": content_type},
        expected_params={
            "EndpointName": endpoint,
            "ContentType": "application/json",
            "Accept": accept,
            "Body": body,
        },
    )


def test_falcon_request_and_response(runtime):
    client, stub = runtime
    _expect(
        stub,
        "falcon",
        FalconCodec().encode(PROMPT, temperature=0.3),
        tgi_body(" Every fare has a price."),
    )
    falcon = FalconEndpoint("falcon", client=client)
    assert falcon.generate(PROMPT, temperature=0.3) == " Every fare has a price."
    assert "SageMaker endpoint 'falcon' in us-east-1" in falcon.name and not falcon.is_local


def test_stable_diffusion_request_and_response(runtime):
    client, stub = runtime
    body = StableDiffusionCodec().encode(
        "a cab at night", negative_prompt="text", width=512, height=512, seed=9
    )
    _expect(stub, "sd21", body, sd_body(), accept="application/json;jpeg")
    image = StableDiffusionEndpoint("sd21", client=client).generate(
        "a cab at night", negative_prompt="text", seed=9
    )
    assert image.size == (512, 512)
    assert "Stable Diffusion" in image.info[SOURCE_KEY]


def test_model_not_ready_is_retried_with_backoff(runtime):
    client, stub = runtime
    for _ in range(2):
        stub.add_client_error(
            "invoke_endpoint", "ModelNotReadyException", "Model is not ready", 429
        )
    stub.add_response("invoke_endpoint", {"Body": streaming(tgi_body("ok"))})
    delays = []
    transport = SageMakerTransport("falcon", client=client, backoff=0.5, sleep=delays.append)
    falcon = FalconEndpoint(transport=transport)
    assert falcon.generate(PROMPT) == "ok"
    assert delays == [0.5, 1.0]


def test_model_not_ready_gives_up(runtime):
    client, stub = runtime
    for _ in range(3):
        stub.add_client_error(
            "invoke_endpoint", "ModelNotReadyException", "Model is not ready", 429
        )
    transport = SageMakerTransport(
        "falcon", client=client, not_ready_attempts=3, sleep=lambda s: None
    )
    with pytest.raises(GenerationError, match="still not ready after 3 attempts.*InService"):
        FalconEndpoint(transport=transport).generate(PROMPT)


def test_model_error_names_status_message_and_logs(runtime):
    client, stub = runtime
    stub.add_client_error(
        "invoke_endpoint",
        "ModelError",
        "Received client error (422) from primary",
        424,
        modeled_fields={
            "OriginalStatusCode": 422,
            "OriginalMessage": '{"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 2048"}',
            "LogStreamArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/falcon",
        },
    )
    with pytest.raises(GenerationError) as info:
        FalconEndpoint("falcon", client=client).generate(PROMPT)
    message = str(info.value)
    assert "'falcon'" in message and "status 422" in message and "max_new_tokens" in message
    assert "/aws/sagemaker/Endpoints/falcon" in message


def test_missing_endpoint_says_how_to_deploy(runtime):
    client, stub = runtime
    stub.add_client_error(
        "invoke_endpoint",
        "ValidationError",
        "Endpoint sd21 of account 123456789012 not found.",
        400,
    )
    with pytest.raises(
        GenerationError, match=r"'sd21' in us-east-1 not found.*provision --only image.*local mode"
    ):
        StableDiffusionEndpoint("sd21", client=client).generate("x")


@pytest.mark.parametrize(
    ("code", "status", "needle"),
    [
        ("ValidationError", 400, r"failed \(ValidationError\).*Body too large"),
        ("ThrottlingException", 400, "throttling.*lower the concurrency"),
        ("InternalFailure", 500, r"failed \(InternalFailure\)"),
        ("ServiceUnavailable", 503, r"failed \(ServiceUnavailable\)"),
        ("AccessDeniedException", 403, "sagemaker:InvokeEndpoint"),
    ],
)
def test_other_client_errors(runtime, code, status, needle):
    client, stub = runtime
    stub.add_client_error(
        "invoke_endpoint", code, "Body too large" if code == "ValidationError" else "boom", status
    )
    with pytest.raises(GenerationError, match=needle):
        FalconEndpoint("falcon", client=client).generate(PROMPT)


def test_read_timeout_is_a_generation_error():
    class TimingOut:
        meta = boto3.client("sagemaker-runtime", region_name=REGION).meta

        def invoke_endpoint(self, **kwargs):
            raise ReadTimeoutError(endpoint_url="https://runtime.sagemaker.us-east-1.amazonaws.com")

    with pytest.raises(GenerationError, match="did not answer in time"):
        FalconEndpoint("falcon", client=TimingOut()).generate(PROMPT)


def test_malformed_and_oversized_bodies(runtime, monkeypatch):
    import taglines.models.transports as transports

    client, stub = runtime
    stub.add_response("invoke_endpoint", {"Body": streaming(b"<html>oops</html>")})
    with pytest.raises(GenerationError, match=r"SageMaker endpoint 'falcon'.*not JSON.*oops"):
        FalconEndpoint("falcon", client=client).generate(PROMPT)
    monkeypatch.setattr(transports, "MAX_RESPONSE_BYTES", 100)
    stub.add_response("invoke_endpoint", {"Body": streaming(sd_body())})
    with pytest.raises(GenerationError, match="larger than 100 bytes"):
        StableDiffusionEndpoint("sd21", client=client).generate("x")
    monkeypatch.setattr(transports, "MAX_REQUEST_BYTES", 10)
    with pytest.raises(GenerationError, match="limit is 10"):
        FalconEndpoint("falcon", client=client).generate(PROMPT)


def test_exactly_one_way_to_reach_the_model():
    from taglines import ConfigError

    with pytest.raises(ConfigError, match="exactly one"):
        FalconEndpoint()
    with pytest.raises(ConfigError, match="exactly one"):
        FalconEndpoint("falcon", api_url="https://x.execute-api.us-east-1.amazonaws.com/prod")


def test_against_moto_canned_results():
    """moto's sagemaker-runtime returns queued results; the codec decodes them from a real body."""
    with mock_aws():
        results = {
            "results": [
                {
                    "Body": tgi_body(" Every fare has a price.").decode(),
                    "ContentType": "application/json",
                },
                {"Body": sd_body((250, 10, 10)).decode(), "ContentType": "application/json"},
            ],
            "region": REGION,
        }
        requests.post(
            "http://motoapi.amazonaws.com/moto-api/static/sagemaker/endpoint-results",
            json=results,
            timeout=5,
        )
        settings = Settings(
            mode="aws",
            region=REGION,
            recommender_arn="arn:aws:personalize:us-east-1:123456789012:recommender/x",
            text_endpoint="falcon",
            image_endpoint="sd21",
        )
        text = build_text_model(settings)
        image = build_image_model(settings)
        assert isinstance(text, FalconEndpoint) and isinstance(image, StableDiffusionEndpoint)
        assert text.generate(PROMPT) == " Every fare has a price."
        art = image.generate("a red cab")
        assert art.getpixel((5, 5))[0] > 200


def test_factory_honours_pool_size():
    settings = Settings(
        mode="aws",
        region=REGION,
        recommender_arn="arn:aws:personalize:us-east-1:123456789012:recommender/x",
        text_endpoint="falcon",
        image_endpoint="sd21",
    )
    model = build_text_model(settings, pool_size=32)
    assert model.transport.client.meta.config.max_pool_connections == 32
