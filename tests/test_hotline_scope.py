"""Scope for every role: the 1022 hotline operator (a province-level role) reads no dossier personal data."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.core.models import OutboundMessage
from motcua.org.models import Role

pytestmark = pytest.mark.django_db


def test_hotline_operator_reads_no_dossier_personal_data(make_staff, province, make_dossier):
    dossier = make_dossier(result=False)
    operator = make_staff(Role.HOTLINE_OPERATOR, province)
    browser = Client()
    browser.force_login(operator)
    for url in ("/staff/dossiers/", "/staff/dossiers/log-book/", f"/staff/dossiers/{dossier.code}/"):
        response = browser.get(url)
        assert dossier.applicant_name not in response.content.decode(), url
    assert browser.get(f"/staff/dossiers/{dossier.code}/").status_code == 404
    assert OutboundMessage.objects.exists()
    assert browser.get("/staff/outbox/").status_code == 403
    # a province officer with another role still sees them
    specialist = make_staff(Role.SPECIALIST, province)
    browser.force_login(specialist)
    assert dossier.applicant_name in browser.get(f"/staff/dossiers/{dossier.code}/").content.decode()
