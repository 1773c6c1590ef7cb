"""The AWS Lambda handler behind the API Gateway URL: validated JSON in, SageMaker endpoint out.

Deploy this module as a Lambda function (handler ``taglines.gateway.handler``) behind an API
Gateway REST API with Lambda proxy integration and two POST routes:

* ``/text``  → the endpoint named in ``TAGLINES_TEXT_ENDPOINT`` (Falcon, TGI JSON)
* ``/image`` → the endpoint named in ``TAGLINES_IMAGE_ENDPOINT`` (Stable Diffusion JSON)

The endpoint names come only from the function's environment (an allow-list); the caller
chooses a route, never an endpoint. Bodies are checked (JSON, size cap, known parameters
only) before anything is invoked. Errors come back as JSON ``{"error": …}`` with 400 (bad
request), 404 (unknown route), 405 (not POST), 413 (too large), 502 (model or endpoint
failed) or 504 (the endpoint timed out). Only ``botocore``/``boto3`` (in the Lambda runtime)
are needed: no pandas, no Pillow.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

from .errors import ConfigError
from .models.codecs import SD_PARAMS, TGI_PARAMS, validate_params

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_TEXT_INPUT = 12_000
MAX_IMAGE_PROMPT = 2_000

ROUTES = {
    "text": {"env": "TAGLINES_TEXT_ENDPOINT", "accept": ("application/json",)},
    "image": {
        "env": "TAGLINES_IMAGE_ENDPOINT",
        "accept": ("application/json;jpeg", "application/json"),
    },
}


class _Reject(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _response(status: int, body: str, content_type: str = "application/json") -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": content_type}, "body": body}


def _error(status: int, message: str, **extra: Any) -> dict[str, Any]:
    return _response(status, json.dumps({"error": message, **extra}))


def _route(event: Mapping[str, Any]) -> str:
    path = event.get("resource") or event.get("rawPath") or event.get("path") or ""
    return str(path).rstrip("/").rsplit("/", 1)[-1]


def _method(event: Mapping[str, Any]) -> str:
    method = event.get("httpMethod") or event.get("requestContext", {}).get("http", {}).get(
        "method"
    )
    return str(method or "").upper()


def _header(event: Mapping[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return value
    return None


def _body(event: Mapping[str, Any]) -> Any:
    raw = event.get("body")
    if raw is None:
        raise _Reject(400, "the request has no body; send JSON")
    if event.get("isBase64Encoded"):
        try:
            raw = base64.b64decode(raw, validate=True)
        except ValueError as exc:
            raise _Reject(400, "the body is marked base64 but is not valid base64") from exc
    data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
    if len(data) > MAX_BODY_BYTES:
        raise _Reject(413, f"the body is {len(data)} bytes; the limit is {MAX_BODY_BYTES}")
    try:
        return json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _Reject(400, f"the body is not valid JSON: {exc}") from exc


def validate_text_request(payload: Any) -> dict[str, Any]:
    """A TGI request with ``inputs`` and only known ``parameters`` (raises on anything else)."""
    if not isinstance(payload, dict):
        raise _Reject(400, "the body must be a JSON object")
    unknown = sorted(set(payload) - {"inputs", "parameters"})
    if unknown:
        raise _Reject(400, f"unknown field(s) {unknown}: send inputs and parameters")
    inputs = payload.get("inputs")
    if not isinstance(inputs, str) or not inputs.strip():
        raise _Reject(400, "inputs must be a non-empty string")
    if len(inputs) > MAX_TEXT_INPUT:
        raise _Reject(413, f"inputs has {len(inputs)} characters; the limit is {MAX_TEXT_INPUT}")
    parameters = payload.get("parameters", {})
    if not isinstance(parameters, dict):
        raise _Reject(400, "parameters must be a JSON object")
    try:
        return {
            "inputs": inputs,
            "parameters": validate_params(TGI_PARAMS, parameters, what="text"),
        }
    except ConfigError as exc:
        raise _Reject(400, str(exc)) from exc


def validate_image_request(payload: Any) -> dict[str, Any]:
    """A Stable Diffusion request with a ``prompt`` and only known parameters."""
    if not isinstance(payload, dict):
        raise _Reject(400, "the body must be a JSON object")
    prompt = payload.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise _Reject(400, "prompt must be a non-empty string")
    if len(prompt) > MAX_IMAGE_PROMPT:
        raise _Reject(413, f"prompt has {len(prompt)} characters; the limit is {MAX_IMAGE_PROMPT}")
    params = {k: v for k, v in payload.items() if k != "prompt"}
    try:
        return {"prompt": prompt, **validate_params(SD_PARAMS, params, what="image")}
    except ConfigError as exc:
        raise _Reject(400, str(exc)) from exc


VALIDATORS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "text": validate_text_request,
    "image": validate_image_request,
}


def make_handler(
    client: Any = None, environ: Mapping[str, str] | None = None
) -> Callable[[Mapping[str, Any], Any], dict[str, Any]]:
    """Build a Lambda handler; ``client`` and ``environ`` are for tests (defaults: real ones).

    Example:
        >>> handler = make_handler(client=stubbed_runtime, environ={"TAGLINES_TEXT_ENDPOINT": "falcon"})  # doctest: +SKIP
    """
    state: dict[str, Any] = {"client": client}

    def runtime() -> Any:
        if state["client"] is None:  # created once per Lambda container, reused across calls
            from .aws import make_client

            state["client"] = make_client("sagemaker-runtime", read_timeout=25, max_attempts=2)
        return state["client"]

    def handler(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        env = os.environ if environ is None else environ
        route = _route(event)
        if route not in ROUTES:
            return _error(404, f"unknown route {route!r}: use /text or /image")
        if _method(event) not in ("POST", ""):
            return _error(405, "use POST")
        endpoint = env.get(ROUTES[route]["env"], "").strip()
        if not endpoint:
            return _error(
                404,
                f"route /{route} is not configured on this function ({ROUTES[route]['env']} is unset)",
            )
        accept = _header(event, "accept") or ROUTES[route]["accept"][0]
        if accept not in ROUTES[route]["accept"]:
            accept = ROUTES[route]["accept"][0]
        try:
            payload = VALIDATORS[route](_body(event))
        except _Reject as exc:
            return _error(exc.status, str(exc))
        return _invoke(runtime(), endpoint, json.dumps(payload).encode("utf-8"), accept)

    return handler


def _invoke(client: Any, endpoint: str, body: bytes, accept: str) -> dict[str, Any]:
    from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError

    try:
        response = client.invoke_endpoint(
            EndpointName=endpoint, ContentType="application/json", Accept=accept, Body=body
        )
        data = response["Body"].read()
    except ReadTimeoutError:
        log.warning("endpoint %s timed out", endpoint)
        return _error(504, f"endpoint {endpoint} did not answer in time", endpoint=endpoint)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code, message = error.get("Code", ""), error.get("Message", "")
        log.warning("endpoint %s failed: %s %s", endpoint, code, message)
        detail = exc.response.get("OriginalMessage") or message
        return _error(
            502,
            f"endpoint {endpoint} failed ({code}): {detail[:300]}",
            endpoint=endpoint,
            code=code,
        )
    except BotoCoreError as exc:
        log.warning("endpoint %s unreachable: %s", endpoint, exc)
        return _error(502, f"endpoint {endpoint} could not be reached", endpoint=endpoint)
    content_type = response.get("ContentType") or "application/json"
    return _response(200, data.decode("utf-8", "replace"), content_type)


#: The entry point for AWS Lambda: ``taglines.gateway.handler``.
handler = make_handler()
