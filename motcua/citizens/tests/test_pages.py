"""The look-up log and metrics pages: auditors only."""

from django.urls import reverse

from motcua.citizens.services import lookup_person

AN = "079090001234"


def test_log_four_callers(client, registry, citizen, desk_officer, auditor):
    lookup_person(AN, actor=desk_officer, procedure_code="1.001193")
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
    lookup_person(AN, actor=desk_officer, procedure_code="1.001193")
    registry.faults.update({"down": True})
    lookup_person(AN, actor=desk_officer, procedure_code="1.001193")
    client.force_login(auditor)
    page = client.get(reverse("citizens:index"))
    metrics = {m["service"]: m for m in page.context["metrics"]}
    assert metrics["identity"]["calls"] == 2 and metrics["identity"]["failed"] == 1
    assert metrics["identity"]["error_rate"] == 50.0 and metrics["residence"]["calls"] == 1
    client.force_login(desk_officer)
    assert client.get(reverse("citizens:index")).context["metrics"] == []
