"""PersonalizeRecommender against botocore's Stubber, which checks requests against the model."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from taglines import (
    ConfigError,
    PersonalizeRecommender,
    RecommendationError,
    Settings,
    build_recommender,
)
from tests.conftest import REGION

ARN = "arn:aws:personalize:us-east-1:123456789012:recommender/taglines-top-picks"
CAMPAIGN = "arn:aws:personalize:us-east-1:123456789012:campaign/custom"
FILTER = "arn:aws:personalize:us-east-1:123456789012:filter/by-genre"


@pytest.fixture
def runtime():
    client = boto3.client("personalize-runtime", region_name=REGION)
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def _response(*items):
    return {"itemList": list(items), "recommendationId": "RID-1"}


def test_recommender_arn_request_and_response(runtime):
    client, stub = runtime
    stub.add_response(
        "get_recommendations",
        _response({"itemId": "m0003", "score": 0.41}, {"itemId": "m0007", "score": 0.2}),
        expected_params={"recommenderArn": ARN, "userId": "u0001", "numResults": 2},
    )
    recs = PersonalizeRecommender(recommender_arn=ARN, client=client).recommend("u0001", n=2)
    assert [(r.item_id, r.score) for r in recs] == [("m0003", 0.41), ("m0007", 0.2)]


def test_campaign_filter_values_context_and_metadata(runtime):
    client, stub = runtime
    stub.add_response(
        "get_recommendations",
        _response(
            {"itemId": "m0003", "score": 0.9, "metadata": {"TITLE": "Night Cab", "GENRES": "Crime"}}
        ),
        expected_params={
            "campaignArn": CAMPAIGN,
            "userId": "u0001",
            "numResults": 1,
            "filterArn": FILTER,
            "filterValues": {"GENRES": '"Crime","Thriller"', "YEAR": '"1999"'},
            "context": {"DEVICE": "mobile"},
            "metadataColumns": {"ITEMS": ["TITLE", "GENRES"]},
        },
    )
    recommender = PersonalizeRecommender(
        campaign_arn=CAMPAIGN,
        client=client,
        filter_arn=FILTER,
        metadata_columns=["TITLE", "GENRES"],
    )
    (rec,) = recommender.recommend(
        "u0001", n=1, context={"DEVICE": "mobile"}, GENRES=["Crime", "Thriller"], YEAR='"1999"'
    )
    assert rec.metadata == {"TITLE": "Night Cab", "GENRES": "Crime"}


def test_items_without_scores_are_kept(runtime):
    client, stub = runtime
    stub.add_response("get_recommendations", _response({"itemId": "m1"}))
    (rec,) = PersonalizeRecommender(recommender_arn=ARN, client=client).recommend("u1", n=1)
    assert rec.score is None


def test_resource_not_found_names_arn_region_and_fix(runtime):
    client, stub = runtime
    stub.add_client_error(
        "get_recommendations", "ResourceNotFoundException", "Recommender not found", 404
    )
    with pytest.raises(
        RecommendationError, match=rf"{ARN} not found in us-east-1.*ACTIVE.*provision"
    ) as info:
        PersonalizeRecommender(recommender_arn=ARN, client=client).recommend("u1")
    assert info.value.__cause__ is not None


def test_invalid_input_passes_on_the_message(runtime):
    client, stub = runtime
    stub.add_client_error("get_recommendations", "InvalidInputException", "userId is required", 400)
    with pytest.raises(RecommendationError, match="rejected.*userId is required"):
        PersonalizeRecommender(recommender_arn=ARN, client=client).recommend("u1")


def test_access_denied(runtime):
    client, stub = runtime
    stub.add_client_error("get_recommendations", "AccessDeniedException", "not authorized", 400)
    with pytest.raises(RecommendationError, match="personalize:GetRecommendations"):
        PersonalizeRecommender(recommender_arn=ARN, client=client).recommend("u1")


def test_malformed_response(runtime):
    client, stub = runtime
    stub.add_response("get_recommendations", {"recommendationId": "x"})
    with pytest.raises(RecommendationError, match="no itemList"):
        PersonalizeRecommender(recommender_arn=ARN, client=client).recommend("u1")


def test_argument_checks_happen_before_any_call(runtime):
    client, _ = runtime  # no responses queued: any call would fail the Stubber
    with pytest.raises(ConfigError, match="exactly one"):
        PersonalizeRecommender(recommender_arn=ARN, campaign_arn=CAMPAIGN, client=client)
    with pytest.raises(ConfigError, match="exactly one"):
        PersonalizeRecommender(client=client)
    rec = PersonalizeRecommender(recommender_arn=ARN, client=client, metadata_columns=["TITLE"])
    with pytest.raises(ConfigError, match="1 to 50"):
        rec.recommend("u1", n=51)
    with pytest.raises(ConfigError, match="TAGLINES_FILTER_ARN"):
        PersonalizeRecommender(recommender_arn=ARN, client=client).recommend("u1", GENRES="x")


def test_factory_builds_personalize_in_aws_mode(runtime):
    client, stub = runtime
    settings = Settings(mode="aws", region=REGION, recommender_arn=ARN)
    recommender = build_recommender(settings, catalog=None, client=client)
    assert isinstance(recommender, PersonalizeRecommender) and recommender.arn == ARN
    stub.add_response(
        "get_recommendations",
        _response({"itemId": "m9"}),
        expected_params={"recommenderArn": ARN, "userId": "u1", "numResults": 5},
    )
    assert recommender.recommend("u1")[0].item_id == "m9"
