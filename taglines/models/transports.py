"""Transports: how request bytes reach a model (SageMaker runtime, API Gateway HTTPS, Bedrock).

Each transport has ``invoke(body, *, content_type, accept) -> bytes`` and turns every failure
into a :class:`~taglines.errors.GenerationError` naming the endpoint or URL, the status and a
snippet of the body. Nothing retries forever.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError, GenerationError
from .codecs import snippet

log = logging.getLogger(__name__)

#: SageMaker real-time endpoints accept request payloads up to 6 MB.
MAX_REQUEST_BYTES = 6 * 1024 * 1024
#: Refuse responses larger than this (a 512×512 JPEG is ~50 KB; pixel arrays are ~5 MB).
MAX_RESPONSE_BYTES = 16 * 1024 * 1024

_DEPLOY_HINT = {
    "text": "deploy it with `python -m taglines provision --only text` (or set TAGLINES_TEXT_ENDPOINT)",
    "image": "deploy it with `python -m taglines provision --only image` (or set TAGLINES_IMAGE_ENDPOINT)",
}


def _check_size(body: bytes, where: str) -> None:
    if len(body) > MAX_REQUEST_BYTES:
        raise GenerationError(
            f"request to {where} is {len(body)} bytes; the limit is {MAX_REQUEST_BYTES}"
        )


def _read_limited(stream: Any, where: str) -> bytes:
    data = stream.read(MAX_RESPONSE_BYTES + 1)
    if len(data) > MAX_RESPONSE_BYTES:
        raise GenerationError(
            f"response from {where} is larger than {MAX_RESPONSE_BYTES} bytes; refused"
        )
    return data


class SageMakerTransport:
    """``invoke_endpoint`` on a SageMaker real-time endpoint.

    botocore's standard retry mode (see :func:`taglines.make_client`) already retries
    throttling and 5xx answers; ``ModelNotReadyException`` (the container is still loading)
    is retried here with exponential backoff, ``not_ready_attempts`` times at most.
    ``ModelError`` and ``ValidationError`` are never retried.

    Example:
        >>> transport = SageMakerTransport("my-falcon", client=runtime)  # doctest: +SKIP
        >>> transport.invoke(b'{"inputs": "hi"}', content_type="application/json",
        ...                  accept="application/json")  # doctest: +SKIP
    """

    def __init__(
        self,
        endpoint_name: str,
        *,
        client: Any,
        purpose: str = "text",
        not_ready_attempts: int = 4,
        backoff: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not endpoint_name:
            raise ConfigError(f"no SageMaker endpoint name for the {purpose} model")
        self.endpoint_name = endpoint_name
        self.client = client
        self.purpose = purpose
        self.not_ready_attempts = not_ready_attempts
        self.backoff = backoff
        self._sleep = sleep

    @property
    def where(self) -> str:
        return f"SageMaker endpoint {self.endpoint_name!r} in {self.client.meta.region_name}"

    def describe(self) -> str:
        return self.where

    def invoke(self, body: bytes, *, content_type: str, accept: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError

        _check_size(body, self.where)
        for attempt in range(1, self.not_ready_attempts + 1):
            try:
                response = self.client.invoke_endpoint(
                    EndpointName=self.endpoint_name,
                    ContentType=content_type,
                    Accept=accept,
                    Body=body,
                )
                return _read_limited(response["Body"], self.where)
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                if code == "ModelNotReadyException" and attempt < self.not_ready_attempts:
                    delay = self.backoff * 2 ** (attempt - 1)
                    log.info(
                        "%s is not ready (attempt %d); retrying in %.1f s",
                        self.where,
                        attempt,
                        delay,
                    )
                    self._sleep(delay)
                    continue
                raise self._translate(exc) from exc
            except ReadTimeoutError as exc:
                raise GenerationError(
                    f"{self.where} did not answer in time ({exc}); containers have 60 s per request, "
                    "so try a smaller request or check the endpoint's CloudWatch logs"
                ) from exc
            except BotoCoreError as exc:
                raise GenerationError(f"could not reach {self.where}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _translate(self, exc: Any) -> GenerationError:
        error = exc.response.get("Error", {})
        code, message = error.get("Code", ""), error.get("Message", "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code == "ValidationError" and re.search(r"endpoint .* not found", message, re.I):
            return GenerationError(
                f"{self.where} not found: {_DEPLOY_HINT.get(self.purpose, 'deploy it')}, "
                "or run in local mode (TAGLINES_MODE=local)"
            )
        if code == "ModelError":
            original = exc.response.get("OriginalStatusCode")
            logs = exc.response.get("LogStreamArn")
            detail = exc.response.get("OriginalMessage") or message
            hint = f"; logs: {logs}" if logs else "; check the endpoint's CloudWatch logs"
            return GenerationError(
                f"{self.where} failed inside the model (status {original}): {snippet(detail)}{hint}"
            )
        if code == "ModelNotReadyException":
            return GenerationError(
                f"{self.where} is still not ready after {self.not_ready_attempts} attempts; wait "
                "until `aws sagemaker describe-endpoint` shows InService and try again"
            )
        if code in ("ThrottlingException", "TooManyRequestsException"):
            return GenerationError(
                f"{self.where} is throttling requests after retries: lower the concurrency"
            )
        if code in ("AccessDeniedException", "AccessDenied"):
            return GenerationError(
                f"not allowed to call sagemaker:InvokeEndpoint on {self.where}: {message}"
            )
        return GenerationError(
            f"{self.where} failed ({code or status}): {snippet(message)}; check the endpoint's "
            "CloudWatch logs, or run in local mode (TAGLINES_MODE=local)"
        )


class ApiGatewayTransport:
    """HTTPS POST to an API Gateway route (Lambda proxy in front of a SageMaker endpoint).

    Requests are signed with SigV4 for ``execute-api`` using the default credential chain, or
    carry ``x-api-key`` when ``api_key`` is given. 429/502/503/504 answers and connection
    failures are retried ``max_attempts`` times in total with backoff; 4xx are not.

    Args:
        url: the full URL of the route, e.g. ``https://id.execute-api.us-east-1.amazonaws.com/prod/text``.
        api_key: send this as ``x-api-key`` instead of signing.
        region: region for SigV4; parsed from an ``execute-api`` host when omitted.
        credentials: botocore credentials; the default chain (of ``profile``) when omitted.
        profile: named AWS profile for signing.
        connect_timeout: seconds to connect.
        read_timeout: seconds to wait for the answer (API Gateway's REST integration limit is 29 s).
        pool_size: HTTP connections kept for concurrent callers.

    Example:
        >>> t = ApiGatewayTransport("https://abc.execute-api.us-east-1.amazonaws.com/prod/text")  # doctest: +SKIP
    """

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        region: str | None = None,
        credentials: Any = None,
        profile: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_attempts: int = 3,
        backoff: float = 1.0,
        pool_size: int = 10,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import urllib3

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"{url!r} is not an http(s) URL for the API Gateway route")
        self.url = url
        self.api_key = api_key
        host_region = re.search(r"\.execute-api\.([a-z0-9-]+)\.amazonaws\.com", parts.netloc)
        self.region = region or (host_region.group(1) if host_region else None)
        if not api_key and not self.region:
            raise ConfigError(
                f"cannot tell which region to sign requests to {url} for: set TAGLINES_REGION"
            )
        self._credentials = credentials
        self._profile = profile
        self.max_attempts = max_attempts
        self.backoff = backoff
        self._sleep = sleep
        self.timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self._http = urllib3.PoolManager(maxsize=pool_size, retries=False, timeout=self.timeout)

    def describe(self) -> str:
        return f"API Gateway {self.url}"

    def _headers(self, body: bytes, content_type: str, accept: str) -> dict[str, str]:
        headers = {"Content-Type": content_type, "Accept": accept}
        if self.api_key:
            return {**headers, "x-api-key": self.api_key}
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        credentials = self._credentials
        if credentials is None:
            import boto3

            credentials = boto3.Session(profile_name=self._profile).get_credentials()
        if credentials is None:
            raise GenerationError(
                f"no AWS credentials to sign the request to {self.url}: configure credentials, "
                "or use an API key (TAGLINES_API_KEY)"
            )
        request = AWSRequest(method="POST", url=self.url, data=body, headers=headers)
        SigV4Auth(credentials.get_frozen_credentials(), "execute-api", self.region).add_auth(
            request
        )
        return dict(request.headers.items())

    def invoke(self, body: bytes, *, content_type: str, accept: str) -> bytes:
        import urllib3

        _check_size(body, self.url)
        retryable = {429, 502, 503, 504}
        for attempt in range(1, self.max_attempts + 1):
            headers = self._headers(body, content_type, accept)  # re-signed: SigV4 is time-bound
            try:
                response = self._http.request(
                    "POST", self.url, body=body, headers=headers, preload_content=False
                )
            except urllib3.exceptions.ReadTimeoutError as exc:
                raise GenerationError(
                    f"no answer from {self.url} within {self.timeout.read_timeout} s; API Gateway "
                    "cuts REST integrations at 29 s, so check the Lambda and endpoint logs"
                ) from exc
            except urllib3.exceptions.HTTPError as exc:
                if attempt < self.max_attempts:
                    self._sleep(self.backoff * 2 ** (attempt - 1))
                    continue
                raise GenerationError(f"could not reach {self.url}: {exc}") from exc
            try:
                data = _read_limited(response, self.url)
            finally:
                response.release_conn()
            if response.status == 200:
                return data
            if response.status in retryable and attempt < self.max_attempts:
                log.info(
                    "%s answered %d (attempt %d); retrying", self.url, response.status, attempt
                )
                self._sleep(self.backoff * 2 ** (attempt - 1))
                continue
            raise self._status_error(response.status, data)
        raise AssertionError("unreachable")  # pragma: no cover

    def _status_error(self, status: int, data: bytes) -> GenerationError:
        if status == 403:
            how = (
                "check the API key (TAGLINES_API_KEY) and its usage plan"
                if self.api_key
                else "the caller needs execute-api:Invoke on this API, or set TAGLINES_API_KEY"
            )
            return GenerationError(
                f"{self.url} answered 403 Forbidden: {how}; body {snippet(data)}"
            )
        if status == 404:
            return GenerationError(
                f"{self.url} answered 404: check TAGLINES_API_URL and the stage name"
            )
        if status == 413:
            return GenerationError(
                f"{self.url} answered 413: the request is too large; shorten the prompt"
            )
        if status >= 500:
            return GenerationError(
                f"{self.url} answered {status} after {self.max_attempts} attempts: {snippet(data)}; "
                "check the Lambda's CloudWatch logs and that the endpoint is InService"
            )
        return GenerationError(
            f"{self.url} answered {status}: {snippet(data)}; the body says what the gateway "
            "rejected (see taglines.gateway for the accepted parameters)"
        )


class BedrockInvokeTransport:
    """``invoke_model`` on Amazon Bedrock for one model id."""

    def __init__(self, model_id: str, *, client: Any) -> None:
        if not model_id:
            raise ConfigError("no Bedrock model id")
        self.model_id = model_id
        self.client = client

    def describe(self) -> str:
        return f"Bedrock model {self.model_id!r} in {self.client.meta.region_name}"

    def invoke(self, body: bytes, *, content_type: str, accept: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        _check_size(body, self.describe())
        try:
            response = self.client.invoke_model(
                modelId=self.model_id, body=body, contentType=content_type, accept=accept
            )
            return _read_limited(response["body"], self.describe())
        except ClientError as exc:
            raise bedrock_error(exc, self.describe()) from exc
        except BotoCoreError as exc:
            raise GenerationError(f"could not reach {self.describe()}: {exc}") from exc


def bedrock_error(exc: Any, where: str) -> GenerationError:
    """A GenerationError for a Bedrock ClientError, with what to do about it."""
    error = exc.response.get("Error", {})
    code, message = error.get("Code", ""), error.get("Message", "")
    hints = {
        "AccessDeniedException": "request access to the model in the Bedrock console (Model access) "
        "and allow bedrock:InvokeModel for your role",
        "ResourceNotFoundException": "check the model id and that the model is offered in this region",
        "ValidationException": "check the model id and the request parameters",
        "ThrottlingException": "lower the concurrency or ask for a higher quota",
        "ModelTimeoutException": "try again; the model took too long",
        "ModelNotReadyException": "the model is not ready yet; try again shortly",
        "ServiceUnavailableException": "try again later",
        "ModelErrorException": "the model failed on this input",
    }
    hint = hints.get(code, "see the message")
    return GenerationError(f"{where} failed ({code}): {snippet(message)}; {hint}")
