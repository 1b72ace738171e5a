"""The look-up log and metrics pages: auditors only."""

from django.urls import reverse

from motcua.citizens.tests.conftest import counter_lookup

AN = "079090001234"


def test_log_four_callers(client, registry, citizen, desk_officer, auditor):
    counter_lookup(desk_officer, AN, "1.001193")
    url = reverse("citizens:log")
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(desk_officer)  # staff, but not an auditor: may not see who looked up whom
    assert client.get(url).status_code == 403
    client.force_login(auditor)
    page = client.get(url + f"?id={AN}")
    body = page.content.decode()
    assert page.status_code == 200
    assert desk_officer.username in body and "Thủ tục 1.001193" in body and AN in body
    assert "Nguyễn Văn An" not in body  # the log names the person by ID only, never their data


def test_metrics_shown_to_auditors(client, registry, desk_officer, auditor):
    counter_lookup(desk_officer, AN, "1.001193")
    registry.faults.update({"down": True})
    counter_lookup(desk_officer, AN, "1.001193")
    client.force_login(auditor)
    page = client.get(reverse("citizens:index"))
    metrics = {m["service"]: m for m in page.context["metrics"]}
    assert metrics["identity"]["calls"] == 2 and metrics["identity"]["failed"] == 1
    assert metrics["identity"]["error_rate"] == 50.0 and metrics["residence"]["calls"] == 1
    client.force_login(desk_officer)
    assert client.get(reverse("citizens:index")).context["metrics"] == []


def test_prefill_api_for_the_signed_in_citizen(client, registry, citizen, desk_officer):
    url = "/api/v1/citizens/prefill/"
    assert client.post(url, {"consent": True}, content_type="application/json").status_code in (401, 403)
    client.force_login(citizen)
    refused = client.post(url, {"consent": False}, content_type="application/json")
    assert refused.status_code == 403 and "đồng ý" in refused.json()["error"]
    ok = client.post(url, {"consent": True, "procedure_code": "1.001193"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["fields"]["full_name"] == "Nguyễn Văn An"
    registry.faults.update({"down": True})
    down = client.post(url, {"consent": True}, content_type="application/json")
    assert down.status_code == 503 and "thủ công" in down.json()["error"]
    client.force_login(desk_officer)  # staff have no own-data prefill
    assert client.post(url, {"consent": True}, content_type="application/json").status_code == 403


def test_field_sources_tell_registry_typed_and_changed_fields():
    from motcua.citizens.selectors import field_sources

    registry_fields = {"full_name": "Nguyễn Văn An", "phone": "0901234567", "email": ""}
    typed = {"full_name": "Nguyễn Văn An", "phone": "0911111111", "email": "an@example.vn"}
    assert field_sources(typed, registry_fields) == {
        "full_name": "registry",
        "phone": "changed",
        "email": "typed",
    }


def test_control_endpoint_through_the_command(registry, settings):
    from django.core.management import call_command

    call_command("registry", "faults", "--latency-ms", "250", "--down", "1")
    assert registry.faults.as_dict() == {"latency_ms": 250, "fail_rate": 0.0, "down": True}
