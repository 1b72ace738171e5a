"""Hand-overs: the unit's officers answer (four callers, exact refusals, nothing changed), and the answered
question becomes an example, so the same question is answered by the assistant next time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.assistant import services
from motcua.assistant.errors import AssistantError
from motcua.assistant.models import Example, Handover, HandoverStatus, Message
from motcua.core.models import AuditEntry
from motcua.org.models import Role

QUESTION = "Bà nội em 90 tuổi nằm một chỗ, phường có cử người tới nhà làm giấy tờ không ạ?"
CALLERS = ["unit", "other_unit", "citizen", "anonymous"]


def snapshot() -> tuple:
    return (
        list(Handover.objects.values_list("pk", "status", "reply", "procedure_code")),
        Example.objects.count(),
        Message.objects.count(),
        AuditEntry.objects.filter(action="assistant.handover_resolved").count(),
    )


@pytest.fixture
def handover(knowledge):
    answer = services.ask(QUESTION, channel="web")
    assert answer.understanding.intent == "handover", answer.understanding
    return answer.handover


@pytest.fixture
def callers(make_staff, ward_a, ward_b, citizen):
    return {
        "unit": make_staff(Role.DESK_OFFICER, ward_a),
        "other_unit": make_staff(Role.DESK_OFFICER, ward_b),
        "citizen": citizen,
        "anonymous": None,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_resolve_four_callers(client, handover, callers, caller):
    user = callers[caller]
    if user is not None:
        client.force_login(user)
    before = snapshot()
    url = reverse("assistant:handover", args=[handover.pk])
    response = client.post(
        url, {"procedure": "1.003583", "reply": "Phường đăng ký khai sinh lưu động tại nhà."}
    )
    if caller == "unit":
        assert response.status_code == 302
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.RESOLVED and handover.procedure_code == "1.003583"
        assert handover.resolved_by == user
        assert Example.objects.get().text == QUESTION
        assert AuditEntry.objects.filter(
            action="assistant.handover_resolved", object_id=str(handover.pk)
        ).exists()
        officer = handover.conversation.messages.filter(sender="officer").get()
        assert officer.text.endswith("Nguồn: mã 1.003583.")
        return
    expected = {"other_unit": 404, "citizen": 403, "anonymous": 302}[caller]
    assert response.status_code == expected
    if caller == "anonymous":
        assert "/dang-nhap" in response["Location"] or "login" in response["Location"]
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_queue_four_callers(client, handover, callers, caller):
    user = callers[caller]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("assistant:queue"))
    expected = {"unit": 200, "other_unit": 200, "citizen": 403, "anonymous": 302}[caller]
    assert response.status_code == expected
    if caller == "unit":
        assert QUESTION[:40] in response.content.decode()
    if caller == "other_unit":  # another ward's queue does not show ward A's questions
        assert QUESTION[:40] not in response.content.decode()


@pytest.mark.django_db
def test_the_service_refuses_an_officer_of_another_unit(handover, callers):
    before = snapshot()
    with pytest.raises(AssistantError) as refused:
        services.resolve_handover(handover, actor=callers["other_unit"], reply="x", procedure_code="1.001193")
    assert refused.value.code == "forbidden"
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"reply": "", "procedure": "1.001193"}, "reply_required"),
        ({"reply": "Trả lời", "procedure": ""}, "target_required"),
        ({"reply": "Trả lời", "procedure": "9.999999"}, "unknown_procedure"),
        ({"reply": "Trả lời\x00", "procedure": "1.001193"}, None),
    ],
)
def test_a_bad_resolution_changes_nothing(client, handover, callers, data, code):
    client.force_login(callers["unit"])
    before = snapshot()
    response = client.post(reverse("assistant:handover", args=[handover.pk]), data)
    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.django_db
def test_an_answered_question_is_answered_next_time_and_counted(client, handover, callers):
    services.resolve_handover(
        handover, actor=callers["unit"], reply="Phường đăng ký khai sinh lưu động.", procedure_code="1.003583"
    )
    with pytest.raises(AssistantError):
        services.resolve_handover(handover, actor=callers["unit"], reply="lại", procedure_code="1.003583")
    again = services.ask(QUESTION, channel="kiosk")
    assert again.understanding.intent == "procedure"
    assert again.procedures[0]["code"] == "1.003583"
    unaccented = services.ask(
        "ba noi em 90 tuoi nam mot cho, phuong co cu nguoi toi nha lam giay to khong a", channel="web"
    )
    assert unaccented.procedures[0]["code"] == "1.003583"
    assert Handover.objects.count() == 1
    client.force_login(callers["unit"])
    page = client.get(reverse("assistant:queue")).content.decode()
    assert "ba noi em 90 tuoi" in page  # most handed-over questions (folded)


@pytest.mark.django_db
def test_conversation_search_is_scoped(client, handover, callers):
    client.force_login(callers["unit"])
    found = client.get(reverse("assistant:search"), {"q": "ba noi"}).content.decode()
    assert handover.conversation.public_id[:12] in found
    client.force_login(callers["other_unit"])
    assert (
        handover.conversation.public_id[:12]
        not in client.get(reverse("assistant:search"), {"q": "ba noi"}).content.decode()
    )
    assert (
        client.get(reverse("assistant:conversation", args=[handover.conversation.public_id])).status_code
        == 404
    )
