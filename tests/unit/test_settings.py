"""Settings: defaults, environment variables, and errors that name the variable to set."""

from __future__ import annotations

import pytest

from taglines import ConfigError, Settings

ARN = "arn:aws:personalize:us-east-1:123456789012:recommender/taglines-top-picks"
CAMPAIGN = "arn:aws:personalize:us-east-1:123456789012:campaign/my-campaign"


def test_defaults_to_local_mode_with_the_shipped_data():
    settings = Settings.from_env({})
    assert settings.mode == "local"
    assert settings.data_uri.endswith("data/movies")


def test_reads_taglines_variables_and_aws_region():
    env = {
        "TAGLINES_RECOMMENDER_ARN": ARN,
        "TAGLINES_TEXT_ENDPOINT": "falcon",
        "TAGLINES_IMAGE_ENDPOINT": "sd21",
        "AWS_REGION": "eu-west-1",
        "TAGLINES_DATA_URI": "s3://bucket/movies",
    }
    settings = Settings.from_env(env)
    assert settings.mode == "aws"  # inferred: an ARN is configured
    assert settings.region == "eu-west-1"
    assert (settings.text_endpoint, settings.image_endpoint) == ("falcon", "sd21")
    assert settings.data_uri == "s3://bucket/movies"


def test_taglines_region_wins_over_aws_region():
    env = {
        "TAGLINES_REGION": "us-west-2",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "ap-south-1",
    }
    assert Settings.from_env(env).region == "us-west-2"


def test_overrides_win_and_none_is_ignored():
    env = {"TAGLINES_MODE": "aws", "TAGLINES_RECOMMENDER_ARN": ARN, "AWS_REGION": "us-east-1"}
    settings = Settings.from_env(env, mode="local", text_endpoint=None)
    assert settings.mode == "local"


def test_region_comes_from_the_default_session_in_aws_mode(monkeypatch):
    # The autouse fixture sets AWS_DEFAULT_REGION in os.environ; from_env(environ={}) still
    # asks boto3's session, as in SageMaker Studio where the region comes from the profile.
    settings = Settings.from_env({"TAGLINES_RECOMMENDER_ARN": ARN})
    assert settings.region == "us-east-1"


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"TAGLINES_MODE": "cloud"}, "TAGLINES_MODE"),
        ({"TAGLINES_MODE": "aws", "AWS_REGION": "us-east-1"}, "TAGLINES_RECOMMENDER_ARN"),
        (
            {
                "TAGLINES_RECOMMENDER_ARN": ARN,
                "TAGLINES_CAMPAIGN_ARN": CAMPAIGN,
                "AWS_REGION": "us-east-1",
            },
            "set exactly one",
        ),
        ({"TAGLINES_RECOMMENDER_ARN": CAMPAIGN}, "TAGLINES_RECOMMENDER_ARN"),
        ({"TAGLINES_RECOMMENDER_ARN": "my-recommender"}, "not a Personalize recommender ARN"),
        ({"TAGLINES_API_URL": "ftp://x"}, "TAGLINES_API_URL"),
        (
            {
                "TAGLINES_RECOMMENDER_ARN": ARN,
                "TAGLINES_TEXT_ENDPOINT": "a",
                "TAGLINES_BEDROCK_TEXT_MODEL": "b",
            },
            "TAGLINES_BEDROCK_TEXT_MODEL",
        ),
        (
            {
                "TAGLINES_RECOMMENDER_ARN": ARN,
                "TAGLINES_IMAGE_ENDPOINT": "a",
                "TAGLINES_API_URL": "https://x.test",
            },
            "TAGLINES_API_URL",
        ),
        ({"TAGLINES_NAME_PREFIX": "bad_prefix!"}, "TAGLINES_NAME_PREFIX"),
    ],
)
def test_invalid_combinations_name_the_variable(env, needle):
    with pytest.raises(ConfigError, match=needle):
        Settings.from_env(env)


def test_aws_mode_without_any_region_says_which_variable(monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(ConfigError, match="AWS_REGION"):
        Settings.from_env({"TAGLINES_RECOMMENDER_ARN": ARN})


def test_unknown_override_is_rejected():
    with pytest.raises(ConfigError, match="unknown setting"):
        Settings.from_env({}, recomender_arn=ARN)


def test_settings_are_frozen_and_hide_the_api_key():
    settings = Settings(api_key="secret-key")
    with pytest.raises(AttributeError):
        settings.mode = "aws"  # type: ignore[misc]
    assert "secret-key" not in repr(settings)
    assert settings.replace(mode="local").api_key == "secret-key"


def test_client_uses_region_retries_and_pool_size():
    settings = Settings(region="eu-central-1")
    client = settings.client("sagemaker-runtime", max_pool_connections=32, read_timeout=12)
    config = client.meta.config
    assert client.meta.region_name == "eu-central-1"
    assert config.max_pool_connections == 32
    assert config.read_timeout == 12
    assert config.retries["mode"] == "standard"


def test_unknown_profile_is_a_config_error():
    with pytest.raises(ConfigError, match="profile 'nope' not found"):
        Settings(profile="nope").client("s3")
