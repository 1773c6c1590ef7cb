"""The API Gateway path against a real HTTP server on 127.0.0.1: SigV4, API keys, faults, and
the Lambda handler behind it."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.credentials import Credentials
from botocore.stub import Stubber

from taglines import GenerationError, Settings, build_image_model, build_text_model
from taglines.gateway import make_handler
from taglines.models import FalconCodec, FalconEndpoint, StableDiffusionEndpoint
from taglines.models.transports import ApiGatewayTransport
from tests.aws.http_server import FakeGateway, verify_sigv4
from tests.aws.stubs import sd_body, streaming, tgi_body
from tests.conftest import REGION

PROMPT = "<movie>\ntitle: Night Cab\n</movie>\nTagline:"
CREDS = Credentials("AKIDEXAMPLE", "secret", "session-token")


def _ok(body: bytes):
    return lambda received: (200, body, 0)


def test_sigv4_signed_text_request():
    with FakeGateway(_ok(tgi_body("Every fare has a price."))) as gw:
        falcon = FalconEndpoint(api_url=gw.url, region=REGION, credentials=CREDS)
        assert falcon.generate(PROMPT, temperature=0.4) == "Every fare has a price."
    (received,) = gw.requests
    assert received.path == "/prod/text"
    assert received.body == FalconCodec().encode(PROMPT, temperature=0.4)
    assert received.headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/us-east-1/execute-api/aws4_request" in received.headers["Authorization"]
    assert received.headers["X-Amz-Security-Token"] == "session-token"
    assert verify_sigv4(received, f"{gw.url}/text", CREDS, REGION)
    # The check is real: a tampered body no longer verifies.
    received.body = received.body.replace(b"Night", b"Day")
    assert not verify_sigv4(received, f"{gw.url}/text", CREDS, REGION)


def test_signing_uses_the_default_credential_chain():
    with FakeGateway(_ok(tgi_body("ok"))) as gw:
        FalconEndpoint(api_url=gw.url, region=REGION).generate(PROMPT)
    env_creds = boto3.Session().get_credentials().get_frozen_credentials()
    assert env_creds.access_key == "testing"  # from the autouse fixture
    assert verify_sigv4(gw.requests[0], f"{gw.url}/text", env_creds, REGION)


def test_api_key_instead_of_signing():
    with FakeGateway(_ok(sd_body())) as gw:
        image = StableDiffusionEndpoint(api_url=gw.url + "/", api_key="k-123").generate(
            "a cab", seed=1
        )
    (received,) = gw.requests
    assert received.path == "/prod/image"
    assert received.headers["x-api-key"] == "k-123"
    assert "Authorization" not in received.headers
    assert received.headers["Accept"] == "application/json;jpeg"
    assert image.size == (512, 512)


def test_403_says_what_permission_is_missing():
    with FakeGateway(lambda r: (403, b'{"message":"Missing Authentication Token"}', 0)) as gw:
        with pytest.raises(
            GenerationError,
            match=r"403 Forbidden.*execute-api:Invoke.*Missing Authentication Token",
        ):
            FalconEndpoint(api_url=gw.url, region=REGION, credentials=CREDS).generate(PROMPT)
        with pytest.raises(GenerationError, match="403 Forbidden: check the API key"):
            FalconEndpoint(api_url=gw.url, api_key="wrong").generate(PROMPT)
    assert len(gw.requests) == 2  # 403 is not retried


def test_502_is_retried_then_reported_with_the_body():
    with FakeGateway(lambda r: (502, b'{"error": "endpoint falcon failed (ModelError)"}', 0)) as gw:
        transport = ApiGatewayTransport(
            f"{gw.url}/text", api_key="k", max_attempts=3, sleep=lambda s: None
        )
        with pytest.raises(GenerationError, match=r"502 after 3 attempts.*ModelError.*CloudWatch"):
            FalconEndpoint(transport=transport).generate(PROMPT)
    assert len(gw.requests) == 3


def test_a_transient_503_then_success():
    answers = iter([(503, b"{}", 0), (200, tgi_body("second time lucky"), 0)])
    with FakeGateway(lambda r: next(answers)) as gw:
        transport = ApiGatewayTransport(f"{gw.url}/text", api_key="k", sleep=lambda s: None)
        assert FalconEndpoint(transport=transport).generate(PROMPT) == "second time lucky"


def test_slow_response_times_out():
    with FakeGateway(lambda r: (200, tgi_body("late"), 2.0)) as gw:
        transport = ApiGatewayTransport(f"{gw.url}/text", api_key="k", read_timeout=0.3)
        with pytest.raises(GenerationError, match=r"no answer from .*/prod/text within 0.3 s"):
            FalconEndpoint(transport=transport).generate(PROMPT)


def test_connection_refused_is_bounded():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    transport = ApiGatewayTransport(
        f"http://127.0.0.1:{port}/prod/text", api_key="k", max_attempts=2, sleep=lambda s: None
    )
    with pytest.raises(GenerationError, match="could not reach"):
        FalconEndpoint(transport=transport).generate(PROMPT)


def test_malformed_body_from_the_gateway():
    with (
        FakeGateway(_ok(b"<html>gateway page</html>")) as gw,
        pytest.raises(
            GenerationError, match=r"API Gateway .*/prod/text returned a body that is not JSON"
        ),
    ):
        FalconEndpoint(api_url=gw.url, api_key="k").generate(PROMPT)


def test_factory_builds_gateway_models_from_settings():
    settings = Settings(
        mode="aws",
        region=REGION,
        recommender_arn="arn:aws:personalize:us-east-1:123456789012:recommender/x",
        api_url="https://abc.execute-api.eu-west-1.amazonaws.com/prod",
        api_key="k",
    )
    text, image = build_text_model(settings), build_image_model(settings)
    assert text.transport.url.endswith("/prod/text") and image.transport.url.endswith("/prod/image")
    assert text.transport.api_key == "k"
    assert (
        ApiGatewayTransport("https://abc.execute-api.eu-west-1.amazonaws.com/prod/text").region
        == "eu-west-1"
    )


def test_end_to_end_through_the_lambda_handler():
    """Client → HTTP → the real Lambda handler → a stubbed SageMaker runtime."""
    runtime = boto3.client("sagemaker-runtime", region_name=REGION)
    handler = make_handler(client=runtime, environ={"TAGLINES_TEXT_ENDPOINT": "falcon-prod"})

    def lambda_proxy(received):
        event = {
            "resource": received.path.removeprefix("/prod"),
            "httpMethod": "POST",
            "headers": received.headers,
            "body": received.body.decode(),
            "isBase64Encoded": False,
        }
        result = handler(event, None)
        return result["statusCode"], result["body"].encode(), 0

    with Stubber(runtime) as stub, FakeGateway(lambda_proxy) as gw:
        stub.add_response(
            "invoke_endpoint",
            {
                "Body": streaming(tgi_body("Ride at your own risk.")),
                "ContentType": "application/json",
            },
            expected_params={
                "EndpointName": "falcon-prod",
                "ContentType": "application/json",
                "Accept": "application/json",
                "Body": FalconCodec().encode(PROMPT),
            },
        )
        falcon = FalconEndpoint(api_url=gw.url, region=REGION, credentials=CREDS)
        assert falcon.generate(PROMPT) == "Ride at your own risk."
        with pytest.raises(GenerationError, match="404"):
            StableDiffusionEndpoint(api_url=gw.url, api_key="k").generate(
                "x"
            )  # /image not configured
    assert json.loads(gw.requests[0].body)["inputs"] == PROMPT
