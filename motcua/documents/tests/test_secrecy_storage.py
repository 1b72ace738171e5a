"""Secret documents (mật, tối mật, tuyệt mật) never reach the S3-compatible backend (a local moto server
started here), are 404 to anyone not named on them, and every read and refusal is in the audit chain."""

import boto3
import pytest
from moto.server import ThreadedMotoServer

from motcua.core.models import AuditEntry
from motcua.documents import services
from motcua.documents.errors import DocumentError
from motcua.documents.tests.conftest import unique_pdf

BUCKET = "motcua-documents"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    from django.core.files.storage import storages

    storages._storages = {}
    storages._backends = None
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client):
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_ordinary_documents_go_to_s3(s3, clerk):
    document = services.register_upload(clerk, [unique_pdf(1)])
    stored = document.files.get()
    assert stored.storage == "documents"
    assert _keys(s3) == [stored.path]


@pytest.mark.parametrize("secrecy", ["mat", "toi_mat", "tuyet_mat"])
def test_secret_documents_never_reach_s3(s3, clerk, secrecy, tmp_path):
    document = services.register_upload(clerk, [unique_pdf(2)], secrecy=secrecy)
    stored = document.files.get()
    assert stored.storage == "local_secret"
    assert _keys(s3) == []
    assert (tmp_path / "secret" / stored.path).exists()


def test_secret_is_404_to_those_not_named_and_audited(clerk, leader, specialist, clerk_b, citizen):
    document = services.register_upload(clerk, [unique_pdf(3)], secrecy="toi_mat", readers=[leader.username])
    assert services.read(clerk, document.pk).pk == document.pk
    assert services.read(leader, document.pk).pk == document.pk
    for outsider in (specialist, clerk_b, citizen):
        with pytest.raises(DocumentError) as exc:
            services.read(outsider, document.pk)
        assert exc.value.code == "not_found" and exc.value.status == 404
    reads = AuditEntry.objects.filter(action="documents.secret_read", object_id=str(document.pk))
    refusals = AuditEntry.objects.filter(action="documents.secret_refused", object_id=str(document.pk))
    assert sorted(e.actor_id for e in reads) == sorted([clerk.pk, leader.pk])
    assert sorted(e.actor_id or 0 for e in refusals) == sorted([specialist.pk, clerk_b.pk, citizen.pk])


def test_secret_is_hidden_from_lists_and_search_and_never_exported(clerk, specialist):
    document = services.register_upload(clerk, [unique_pdf(4)], secrecy="mat")
    assert not services.readable(specialist).filter(pk=document.pk).exists()
    assert services.readable(clerk).filter(pk=document.pk).exists()
    with pytest.raises(DocumentError) as exc:
        services.export_edxml(document, clerk)
    assert exc.value.code == "forbidden"


def test_secret_urgent_notification_carries_no_content(clerk, leader):
    from motcua.core.models import OutboundMessage

    services.register_upload(
        clerk, [unique_pdf(5)], secrecy="mat", urgency="hoa_toc", readers=[leader.username]
    )
    message = OutboundMessage.objects.get(recipient=leader.email)
    assert "văn bản mật" in message.body and "Văn bản thử" not in message.body
