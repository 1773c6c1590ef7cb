"""JumpStart endpoints: deploy (SDK replaced at the JumpStartModel boundary), wait, teardown (moto)."""

from __future__ import annotations

import sys
import types
from typing import ClassVar

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from taglines import ConfigError, ProvisioningError, Settings
from taglines.provision import (
    deploy_image_endpoint,
    deploy_text_endpoint,
    jumpstart_model_class,
    plan,
    teardown,
)
from taglines.provision.names import (
    FALCON_INSTANCE_TYPE,
    FALCON_MODEL_ID,
    SD_INSTANCE_TYPE,
    SD_MODEL_ID,
)
from tests.conftest import REGION

ROLE = "arn:aws:iam::123456789012:role/sagemaker-execution"
TEST_INSTANCE = "ml.m5.xlarge"  # moto's allow-list has no ml.g5.*


class FakeJumpStartModel:
    """Stands in for sagemaker.jumpstart.model.JumpStartModel: records calls, creates in moto."""

    instances: ClassVar[list[FakeJumpStartModel]] = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.deployed = None
        FakeJumpStartModel.instances.append(self)

    def deploy(self, **kwargs):
        self.deployed = kwargs
        sm = boto3.client("sagemaker", region_name=REGION)
        name, endpoint, tags = self.kwargs["name"], kwargs["endpoint_name"], kwargs["tags"]
        sm.create_model(
            ModelName=name,
            ExecutionRoleArn=ROLE,
            PrimaryContainer={"Image": "1.dkr.ecr.us-east-1.amazonaws.com/jumpstart:1"},
            Tags=tags,
        )
        sm.create_endpoint_config(
            EndpointConfigName=endpoint,
            ProductionVariants=[
                {
                    "VariantName": "AllTraffic",
                    "ModelName": name,
                    "InitialInstanceCount": 1,
                    "InstanceType": kwargs["instance_type"],
                }
            ],
            Tags=tags,
        )
        sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=endpoint, Tags=tags)


@pytest.fixture
def sagemaker():
    FakeJumpStartModel.instances = []
    with mock_aws():
        yield boto3.client("sagemaker", region_name=REGION)


@pytest.fixture
def settings():
    return Settings(region=REGION, name_prefix="wk1")


def _deploy_both(settings, sagemaker, progress=None):
    options = dict(
        role=ROLE,
        sagemaker_client=sagemaker,
        model_cls=FakeJumpStartModel,
        poll=0,
        sleep=lambda s: None,
        progress=progress,
    )
    return (
        deploy_text_endpoint(settings, instance_type=TEST_INSTANCE, **options),
        deploy_image_endpoint(settings, instance_type=TEST_INSTANCE, **options),
    )


def test_deploy_passes_model_version_instance_name_and_tags(settings, sagemaker):
    lines = []
    text, image = _deploy_both(settings, sagemaker, progress=lines.append)
    assert (text, image) == ("wk1-falcon-40b-instruct", "wk1-sd21-base")
    falcon, sd = FakeJumpStartModel.instances
    assert falcon.kwargs == {
        "model_id": FALCON_MODEL_ID,
        "model_version": "*",
        "instance_type": TEST_INSTANCE,
        "name": "wk1-falcon-40b-instruct-model",
        "role": ROLE,
    }
    assert sd.kwargs["model_id"] == SD_MODEL_ID
    assert falcon.deployed == {
        "initial_instance_count": 1,
        "instance_type": TEST_INSTANCE,
        "endpoint_name": "wk1-falcon-40b-instruct",
        "tags": [
            {"Key": "created-by", "Value": "taglines"},
            {"Key": "taglines:prefix", "Value": "wk1"},
        ],
        "wait": False,
    }
    assert sagemaker.describe_endpoint(EndpointName=text)["EndpointStatus"] == "InService"
    assert any("InService" in line for line in lines)


def test_defaults_are_the_documented_models_and_instances(settings):
    rendered = str(plan(settings))
    assert FALCON_INSTANCE_TYPE == "ml.g5.12xlarge" and SD_INSTANCE_TYPE == "ml.g5.2xlarge"
    for expected in (
        FALCON_MODEL_ID,
        SD_MODEL_ID,
        FALCON_INSTANCE_TYPE,
        SD_INSTANCE_TYPE,
        "billed per hour",
        "teardown",
    ):
        assert expected in rendered


def test_rerun_finds_the_endpoints_and_deploys_nothing(settings, sagemaker):
    _deploy_both(settings, sagemaker)
    lines = []
    assert _deploy_both(settings, sagemaker, progress=lines.append) == (
        "wk1-falcon-40b-instruct",
        "wk1-sd21-base",
    )
    assert len(FakeJumpStartModel.instances) == 2
    assert any("already InService" in line for line in lines)


def test_endpoint_names_come_from_settings(sagemaker):
    settings = Settings(region=REGION, text_endpoint="my-falcon")
    assert (
        deploy_text_endpoint(
            settings,
            instance_type=TEST_INSTANCE,
            role=ROLE,
            sagemaker_client=sagemaker,
            model_cls=FakeJumpStartModel,
        )
        == "my-falcon"
    )


def _stubbed_sagemaker(*statuses, reason=None):
    client = boto3.client("sagemaker", region_name=REGION)
    stub = Stubber(client)
    for status in statuses:
        response = {
            "EndpointName": "wk1-falcon-40b-instruct",
            "EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/wk1-falcon-40b-instruct",
            "EndpointConfigName": "wk1-falcon-40b-instruct",
            "EndpointStatus": status,
            "CreationTime": "2026-01-01T00:00:00Z",
            "LastModifiedTime": "2026-01-01T00:00:00Z",
        }
        if reason and status == "Failed":
            response["FailureReason"] = reason
        stub.add_response(
            "describe_endpoint",
            response,
            expected_params={"EndpointName": "wk1-falcon-40b-instruct"},
        )
    stub.activate()
    return client, stub


def test_an_endpoint_still_creating_is_waited_for(settings):
    FakeJumpStartModel.instances = []
    client, stub = _stubbed_sagemaker("Creating", "Creating", "Creating", "InService")
    sleeps = []
    assert (
        deploy_text_endpoint(
            settings,
            sagemaker_client=client,
            model_cls=FakeJumpStartModel,
            poll=30,
            sleep=sleeps.append,
        )
        == "wk1-falcon-40b-instruct"
    )
    assert sleeps == [30, 30] and FakeJumpStartModel.instances == []
    stub.assert_no_pending_responses()


def test_failed_endpoint_reports_the_reason(settings):
    client, _ = _stubbed_sagemaker(
        "Creating", "Failed", reason="CapacityError: no ml.g5.12xlarge capacity"
    )
    with pytest.raises(
        ProvisioningError, match="Failed: CapacityError: no ml.g5.12xlarge capacity.*teardown"
    ):
        deploy_text_endpoint(
            settings,
            sagemaker_client=client,
            model_cls=FakeJumpStartModel,
            poll=0,
            sleep=lambda s: None,
        )


def test_the_wait_is_bounded():
    from taglines.provision.wait import wait_until

    clock = iter(range(0, 10_000, 600))  # ten minutes pass between polls
    polls = []

    def describe():
        polls.append(1)
        return "Creating", None

    with pytest.raises(ProvisioningError, match="still Creating after 30 min.*again later"):
        wait_until(
            describe,
            what="endpoint x",
            ok=("InService",),
            timeout=1800,
            poll=0,
            sleep=lambda s: None,
            clock=lambda: next(clock),
        )
    assert len(polls) == 3  # at 10, 20 and 30 minutes


def test_sdk_setup_errors_become_provisioning_errors(settings, sagemaker):
    class Broken(FakeJumpStartModel):
        def deploy(self, **kwargs):
            raise ValueError("The current AWS identity is not a role")

    with pytest.raises(ProvisioningError, match="TAGLINES_SAGEMAKER_ROLE_ARN"):
        deploy_text_endpoint(
            settings, instance_type=TEST_INSTANCE, sagemaker_client=sagemaker, model_cls=Broken
        )


def test_teardown_deletes_the_stack_and_is_idempotent(settings, sagemaker):
    _deploy_both(settings, sagemaker)
    report = teardown(settings, only=["text", "image"], sagemaker_client=sagemaker)
    assert report.deleted == [
        "endpoint wk1-falcon-40b-instruct",
        "endpoint config wk1-falcon-40b-instruct",
        "model wk1-falcon-40b-instruct-model",
        "endpoint wk1-sd21-base",
        "endpoint config wk1-sd21-base",
        "model wk1-sd21-base-model",
    ]
    assert sagemaker.list_endpoints()["Endpoints"] == [] and sagemaker.list_models()["Models"] == []
    again = teardown(settings, only=["text", "image"], sagemaker_client=sagemaker)
    assert again.deleted == [] and again.missing == [
        "endpoint wk1-falcon-40b-instruct",
        "endpoint wk1-sd21-base",
    ]


def test_teardown_when_half_is_already_gone(settings, sagemaker):
    _deploy_both(settings, sagemaker)
    sagemaker.delete_endpoint(EndpointName="wk1-falcon-40b-instruct")
    sagemaker.delete_model(ModelName="wk1-sd21-base-model")
    report = teardown(settings, only=["text", "image"], sagemaker_client=sagemaker)
    assert "endpoint wk1-falcon-40b-instruct" in report.missing
    assert (
        "endpoint config wk1-falcon-40b-instruct" in report.deleted
        and "model wk1-falcon-40b-instruct-model" in report.deleted
    )
    assert (
        "endpoint wk1-sd21-base" in report.deleted
        and "model wk1-sd21-base-model" not in report.deleted
    )
    assert sagemaker.list_endpoint_configs()["EndpointConfigs"] == []


def test_teardown_never_deletes_what_taglines_did_not_create(settings, sagemaker):
    sagemaker.create_model(
        ModelName="wk1-sd21-base-model",
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": "1.dkr.ecr.us-east-1.amazonaws.com/x:1"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="wk1-sd21-base",
        ProductionVariants=[
            {
                "VariantName": "v",
                "ModelName": "wk1-sd21-base-model",
                "InitialInstanceCount": 1,
                "InstanceType": TEST_INSTANCE,
            }
        ],
    )
    sagemaker.create_endpoint(
        EndpointName="wk1-sd21-base",
        EndpointConfigName="wk1-sd21-base",
        Tags=[{"Key": "team", "Value": "other"}],
    )
    report = teardown(settings, only="image", sagemaker_client=sagemaker)
    assert report.deleted == []
    assert report.skipped == ["endpoint wk1-sd21-base (no created-by=taglines tag; left alone)"]
    assert (
        sagemaker.describe_endpoint(EndpointName="wk1-sd21-base")["EndpointStatus"] == "InService"
    )


def test_sdk_v3_or_missing_says_which_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "sagemaker", types.SimpleNamespace(__version__="3.27.0"))
    with pytest.raises(ConfigError, match=r"v3 removed it.*pip install 'sagemaker>=2.257,<3'"):
        jumpstart_model_class()
    monkeypatch.setitem(sys.modules, "sagemaker", None)
    with pytest.raises(ConfigError, match=r"not installed.*pip install 'sagemaker>=2.257,<3'"):
        jumpstart_model_class()


def test_the_installed_sdk_has_jumpstart_model():
    """requirements.txt pins sagemaker v2, whose JumpStartModel takes the arguments we pass."""
    import inspect

    cls = jumpstart_model_class()
    assert cls.__name__ == "JumpStartModel"
    init, deploy = (
        inspect.signature(cls.__init__).parameters,
        inspect.signature(cls.deploy).parameters,
    )
    assert {
        "model_id",
        "model_version",
        "instance_type",
        "name",
        "role",
        "sagemaker_session",
    } <= set(init)
    assert {"initial_instance_count", "instance_type", "endpoint_name", "tags", "wait"} <= set(
        deploy
    )


def test_provision_returns_the_variables_to_set(settings, sagemaker):
    from taglines.provision import provision

    result = provision(
        Settings(region=REGION, name_prefix="wk1", sagemaker_role_arn=ROLE),
        only=["text", "image"],
        text_instance_type=TEST_INSTANCE,
        image_instance_type=TEST_INSTANCE,
        sagemaker_client=sagemaker,
        model_cls=FakeJumpStartModel,
    )
    assert result == {
        "TAGLINES_TEXT_ENDPOINT": "wk1-falcon-40b-instruct",
        "TAGLINES_IMAGE_ENDPOINT": "wk1-sd21-base",
    }
    assert all(m.kwargs["role"] == ROLE for m in FakeJumpStartModel.instances)


def test_provision_without_region_or_with_unknown_part():
    from taglines.provision import provision

    with pytest.raises(ConfigError, match="AWS_REGION"):
        provision(Settings(), only="text")
    with pytest.raises(ConfigError, match="unknown part"):
        plan(Settings(region=REGION), only="gpu")


def test_unexpected_aws_failures_say_what_to_check(settings):
    from taglines.provision import provision

    client = boto3.client("sagemaker", region_name=REGION)
    with Stubber(client) as stub:
        stub.add_client_error(
            "describe_endpoint",
            "AccessDeniedException",
            "not authorized to perform sagemaker:DescribeEndpoint",
            400,
        )
        with pytest.raises(
            ProvisioningError,
            match=r"deploying endpoint wk1-falcon-40b-instruct failed in us-east-1 \(AccessDeniedException\).*idempotent",
        ):
            provision(settings, only="text", sagemaker_client=client, model_cls=FakeJumpStartModel)
        stub.add_client_error("describe_endpoint", "AccessDeniedException", "nope", 400)
        with pytest.raises(ProvisioningError, match="deleting the text endpoint"):
            teardown(settings, only="text", sagemaker_client=client)
