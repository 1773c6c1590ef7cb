"""The Lambda handler: allow-listed endpoints, validated bodies, errors mapped to HTTP statuses."""

from __future__ import annotations

import base64
import json

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber

from taglines.gateway import MAX_BODY_BYTES, make_handler
from tests.aws.stubs import sd_body, streaming, tgi_body
from tests.conftest import REGION

ENV = {"TAGLINES_TEXT_ENDPOINT": "falcon-prod", "TAGLINES_IMAGE_ENDPOINT": "sd-prod"}


def event(route="/text", body=None, *, method="POST", headers=None, b64=False):
    raw = json.dumps(body) if not isinstance(body, str) else body
    if b64:
        raw = base64.b64encode(raw.encode()).decode()
    return {
        "resource": route,
        "httpMethod": method,
        "headers": headers or {},
        "body": raw,
        "isBase64Encoded": b64,
    }


@pytest.fixture
def runtime():
    client = boto3.client("sagemaker-runtime", region_name=REGION)
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def _error(result):
    return result["statusCode"], json.loads(result["body"])["error"]


def test_text_route_invokes_the_allow_listed_endpoint(runtime):
    client, stub = runtime
    payload = {"inputs": "Write.", "parameters": {"max_new_tokens": 30, "temperature": 0.7}}
    stub.add_response(
        "invoke_endpoint",
        {"Body": streaming(tgi_body("Hi.")), "ContentType": "application/json"},
        expected_params={
            "EndpointName": "falcon-prod",
            "ContentType": "application/json",
            "Accept": "application/json",
            "Body": json.dumps(payload).encode(),
        },
    )
    result = make_handler(client, ENV)(event("/text", payload))
    assert result["statusCode"] == 200
    assert json.loads(result["body"]) == [{"generated_text": "Hi."}]


def test_image_route_with_base64_body_and_accept_header(runtime):
    client, stub = runtime
    payload = {"prompt": "a cab", "width": 512, "height": 512, "seed": 3}
    stub.add_response(
        "invoke_endpoint",
        {"Body": streaming(sd_body()), "ContentType": "application/json"},
        expected_params={
            "EndpointName": "sd-prod",
            "ContentType": "application/json",
            "Accept": "application/json;jpeg",
            "Body": json.dumps(payload).encode(),
        },
    )
    result = make_handler(client, ENV)(
        event("/image", payload, b64=True, headers={"accept": "application/json;jpeg"})
    )
    assert result["statusCode"] == 200 and "generated_images" in json.loads(result["body"])


@pytest.mark.parametrize(
    ("evt", "status", "needle"),
    [
        (
            event("/text", {"inputs": "x", "EndpointName": "someone-elses-endpoint"}),
            400,
            "unknown field",
        ),
        (event("/image", {"prompt": "x", "endpoint": "other"}), 400, "unknown image parameter"),
        (event("/admin", {"inputs": "x"}), 404, "unknown route"),
        (event("/text", {"inputs": "x"}, method="GET"), 405, "POST"),
        (event("/text", "{not json"), 400, "not valid JSON"),
        (event("/text", "x" * (MAX_BODY_BYTES + 1)), 413, "limit"),
        (event("/text", {"inputs": ""}), 400, "non-empty string"),
        (event("/text", {"inputs": "x", "parameters": {"top_p": 1.5}}), 400, "top_p"),
        (event("/text", {"inputs": "x", "parameters": "hot"}), 400, "JSON object"),
        (event("/text", ["inputs"]), 400, "JSON object"),
        (event("/image", {"prompt": "x", "width": 333}), 400, "multiple of 8"),
        (event("/image", {"prompt": "x" * 3000}), 413, "limit"),
        ({**event("/text", {"inputs": "x"}), "body": None}, 400, "no body"),
        (
            {**event("/text", {"inputs": "x"}), "isBase64Encoded": True, "body": "%%%"},
            400,
            "base64",
        ),
    ],
)
def test_bad_requests_never_reach_the_endpoint(runtime, evt, status, needle):
    client, _ = runtime  # nothing queued: any invoke would fail the Stubber
    code, message = _error(make_handler(client, ENV)(evt))
    assert code == status and needle in message


def test_unconfigured_route_is_404(runtime):
    client, _ = runtime
    code, message = _error(
        make_handler(client, {"TAGLINES_TEXT_ENDPOINT": "falcon"})(event("/image", {"prompt": "x"}))
    )
    assert code == 404 and "TAGLINES_IMAGE_ENDPOINT" in message


def test_model_error_is_502_with_the_reason(runtime):
    client, stub = runtime
    stub.add_client_error(
        "invoke_endpoint",
        "ModelError",
        "Received client error (400)",
        424,
        modeled_fields={"OriginalMessage": "bad tokens"},
    )
    code, message = _error(make_handler(client, ENV)(event("/text", {"inputs": "x"})))
    assert code == 502 and "falcon-prod" in message and "bad tokens" in message


def test_missing_endpoint_is_502(runtime):
    client, stub = runtime
    stub.add_client_error(
        "invoke_endpoint", "ValidationError", "Endpoint falcon-prod of account 1 not found.", 400
    )
    code, message = _error(make_handler(client, ENV)(event("/text", {"inputs": "x"})))
    assert code == 502 and "not found" in message


def test_timeout_is_504():
    class Slow:
        def invoke_endpoint(self, **kwargs):
            raise ReadTimeoutError(endpoint_url="https://runtime.sagemaker")

    code, message = _error(make_handler(Slow(), ENV)(event("/text", {"inputs": "x"})))
    assert code == 504 and "falcon-prod" in message


def test_http_api_v2_events_are_understood(runtime):
    client, stub = runtime
    stub.add_response("invoke_endpoint", {"Body": streaming(tgi_body("ok"))})
    evt = {
        "rawPath": "/prod/text",
        "requestContext": {"http": {"method": "POST"}},
        "headers": {},
        "body": json.dumps({"inputs": "x"}),
        "isBase64Encoded": False,
    }
    assert make_handler(client, ENV)(evt)["statusCode"] == 200


def test_module_handler_does_not_touch_aws_at_import(monkeypatch):
    """Loading the Lambda module builds no client; the first request does (once)."""
    import importlib

    import taglines.aws
    import taglines.gateway as gateway

    class Slow:
        def invoke_endpoint(self, **kwargs):
            raise ReadTimeoutError(endpoint_url="https://runtime.sagemaker")

    built = []
    monkeypatch.setattr(taglines.aws, "make_client", lambda *a, **k: built.append(a) or Slow())
    importlib.reload(gateway)
    assert built == []
    env = {"TAGLINES_TEXT_ENDPOINT": "falcon-prod"}
    with monkeypatch.context() as m:
        m.setattr(gateway.os, "environ", env)
        gateway.handler(event("/text", "{bad json"))  # rejected before any call
        assert built == []
        for _ in range(2):
            assert gateway.handler(event("/text", {"inputs": "x"}))["statusCode"] == 504
    assert built == [("sagemaker-runtime",)]
    importlib.reload(gateway)


def test_the_lambda_needs_only_botocore():
    """The handler imports and answers with pandas, numpy and Pillow unavailable (Lambda runtime)."""
    import subprocess
    import sys

    code = """
import sys
for blocked in ("pandas", "numpy", "PIL", "matplotlib", "sagemaker"):
    sys.modules[blocked] = None  # any import of these now raises ImportError
from taglines.gateway import make_handler
result = make_handler(client=object(), environ={})({"resource": "/text", "httpMethod": "POST", "body": "{}"})
print(result["statusCode"])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "404"  # /text not configured in this empty environment
