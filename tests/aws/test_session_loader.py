"""The AWS functions' botocore loader: the models botocore's own loader gives, the same error
for a name that is no service, and no listing of every service on the way."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import UnknownServiceError
from botocore.loaders import Loader

from transcripts.adapters.aws.session import NamedServiceLoader, default_session

KINDS = ("service-2", "endpoint-rule-set-1", "paginators-1")


class Counting(NamedServiceLoader):
    listed = 0

    def list_available_services(self, type_name):
        Counting.listed += 1
        return super().list_available_services(type_name)


@pytest.mark.parametrize("service", ["dynamodb", "s3", "events", "secretsmanager", "sqs"])
def test_same_models_as_botocore_without_listing_every_service(service):
    ours, botocore_own = Counting(), Loader()
    for kind in KINDS:
        assert ours.load_service_model(service, kind) == botocore_own.load_service_model(service, kind)
    assert Counting.listed == 0


def test_a_name_that_is_no_service_is_refused_as_botocore_does():
    with pytest.raises(UnknownServiceError) as ours:
        NamedServiceLoader().load_service_model("dynamodbb", "service-2")
    with pytest.raises(UnknownServiceError) as botocore_own:
        Loader().load_service_model("dynamodbb", "service-2")
    assert str(ours.value) == str(botocore_own.value)


def test_default_session_keeps_its_hooks(monkeypatch):
    """The loader goes into boto3's default session in place: handlers registered on it
    before (the IAM recorder of tests/aws) still see every call."""
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    boto3.setup_default_session(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    seen = []
    boto3.DEFAULT_SESSION._session.get_component("event_emitter").register(
        "before-parameter-build", lambda model, **_: seen.append(model.name))
    session = default_session()
    assert session is boto3.DEFAULT_SESSION and default_session() is session
    assert isinstance(session._session.get_component("data_loader"), NamedServiceLoader)
    client = boto3.client("dynamodb", endpoint_url="http://127.0.0.1:9")
    assert client.meta.service_model.service_name == "dynamodb"
    client.meta.events.emit("before-parameter-build.dynamodb.GetItem", params={},
                            model=client.meta.service_model.operation_model("GetItem"))
    assert seen == ["GetItem"]
