"""The pipeline in aws mode: Personalize → Falcon → Stable Diffusion, all through boto3 stand-ins."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from taglines import Settings, build_pipeline, load_catalog, read_results
from taglines.models import FalconEndpoint, StableDiffusionEndpoint
from taglines.recommend import PersonalizeRecommender
from tests.aws.stubs import sd_body, streaming, tgi_body
from tests.conftest import MOVIES, REGION

ARN = "arn:aws:personalize:us-east-1:123456789012:recommender/taglines-top-picks"


@pytest.fixture
def settings():
    return Settings(
        mode="aws",
        region=REGION,
        recommender_arn=ARN,
        text_endpoint="falcon",
        image_endpoint="sd21",
    )


def test_one_user_end_to_end(settings, movies):
    personalize = boto3.client("personalize-runtime", region_name=REGION)
    text_runtime = boto3.client("sagemaker-runtime", region_name=REGION)
    # Text and image calls run concurrently: each endpoint gets its own stubbed client so the
    # Stubber's queue order is deterministic.
    image_runtime = boto3.client("sagemaker-runtime", region_name=REGION)
    falcon = {
        "EndpointName": "falcon",
        "ContentType": "application/json",
        "Accept": "application/json",
        "Body": ANY,
    }
    sd = {
        "EndpointName": "sd21",
        "ContentType": "application/json",
        "Accept": "application/json;jpeg",
        "Body": ANY,
    }
    seen: list[tuple[str, dict]] = []
    for client in (text_runtime, image_runtime):
        client.meta.events.register(
            "before-parameter-build.sagemaker-runtime.InvokeEndpoint",
            lambda params, **kw: seen.append((params["EndpointName"], json.loads(params["Body"]))),
        )
    with Stubber(personalize) as p, Stubber(text_runtime) as t, Stubber(image_runtime) as i:
        p.add_response(
            "get_recommendations",
            {
                "itemList": [{"itemId": "m0010", "score": 0.4}, {"itemId": "m0002", "score": 0.3}],
                "recommendationId": "r",
            },
            expected_params={"recommenderArn": ARN, "userId": "u0001", "numResults": 2},
        )
        for answer in (
            ' "Every fare has a price." #thriller',
            "Every fare has a price.",
            "Ride at your own risk.",
        ):
            t.add_response(
                "invoke_endpoint", {"Body": streaming(tgi_body(answer))}, expected_params=falcon
            )
        for color in ((200, 30, 30), (30, 30, 200)):
            i.add_response(
                "invoke_endpoint", {"Body": streaming(sd_body(color))}, expected_params=sd
            )
        pipeline = build_pipeline(
            settings,
            catalog=movies,
            concurrency=1,
            clients={"personalize-runtime": personalize, "sagemaker-runtime": text_runtime},
        )
        assert isinstance(pipeline.recommender, PersonalizeRecommender)
        assert isinstance(pipeline.text_model, FalconEndpoint) and isinstance(
            pipeline.image_model, StableDiffusionEndpoint
        )
        assert "LOCAL MODE" not in str(pipeline) and not pipeline.describe()["local"][1:].any()
        pipeline.image_model = StableDiffusionEndpoint("sd21", client=image_runtime)
        result = pipeline.run("u0001", n=2)
        for stub in (p, t, i):
            stub.assert_no_pending_responses()
    assert [item.item.item_id for item in result.items] == ["m0010", "m0002"]
    # The second answer repeated the first, so it was rewritten with the first listed.
    assert [item.tagline for item in result.items] == [
        "Every fare has a price.",
        "Ride at your own risk.",
    ]
    texts = [body for name, body in seen if name == "falcon"]
    images = [body for name, body in seen if name == "sd21"]
    assert (
        texts[0]["inputs"] == result.items[0].prompt
        and texts[0]["parameters"]["return_full_text"] is False
    )
    assert "Already used for this viewer" in texts[2]["inputs"]
    assert {b["prompt"] for b in images} == {item.art_prompt for item in result.items}
    assert all(b["height"] == 768 and "text" in b["negative_prompt"] for b in images)
    assert all(poster.size == (512, 768) for poster in result.posters)
    assert result.posters[0].crop((0, 0, 150, 40)).getextrema()[0][0] > 0  # no LOCAL PREVIEW badge


def test_batch_records_aws_backends(settings, movies, tmp_path):
    with mock_aws():
        import requests

        results = [
            {"Body": tgi_body(f"Line number {i}.").decode(), "ContentType": "application/json"}
            for i in range(3)
        ]
        requests.post(
            "http://motoapi.amazonaws.com/moto-api/static/sagemaker/endpoint-results",
            json={"results": results, "region": REGION},
            timeout=5,
        )
        personalize = boto3.client("personalize-runtime", region_name=REGION)
        runtime = boto3.client("sagemaker-runtime", region_name=REGION)
        with Stubber(personalize) as p:
            p.add_response(
                "get_recommendations",
                {"itemList": [{"itemId": "m0010"}]},
                expected_params={"recommenderArn": ARN, "userId": "u0002", "numResults": 1},
            )
            p.add_client_error("get_recommendations", "ResourceNotFoundException", "gone", 404)

            class Art:
                name = "art"
                is_local = False

                def generate(self, prompt, **kwargs):
                    from PIL import Image

                    return Image.new("RGB", (512, 768), (10, 80, 160))

            pipeline = build_pipeline(
                settings,
                catalog=movies,
                concurrency=1,
                clients={"personalize-runtime": personalize, "sagemaker-runtime": runtime},
            )
            pipeline.image_model = Art()
            report = pipeline.run_batch(["u0002", "u0003"], tmp_path, n=1, progress=False)
    assert (report.done, report.failed) == (1, 1)
    (record,) = read_results(tmp_path)
    assert record["local"] is False and "SageMaker endpoint 'falcon'" in record["text_backend"]
    assert "not found" in report.errors[0]["error"]


def test_s3_data_is_uploaded_when_missing(settings):
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="workshop")
        from taglines import build_catalog

        catalog = build_catalog(settings.replace(data_uri="s3://workshop/movies"), s3_client=s3)
        assert len(catalog.items) == len(load_catalog(MOVIES).items)
        keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="workshop")["Contents"])
        assert keys == ["movies/interactions.csv", "movies/items.csv", "movies/users.csv"]
        # Local mode never writes to S3.
        s3.create_bucket(Bucket="empty")
        with pytest.raises(Exception, match="missing"):
            build_catalog(Settings(mode="local", data_uri="s3://empty/movies"), s3_client=s3)
