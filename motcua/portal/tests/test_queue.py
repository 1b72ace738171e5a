"""Queue numbers of the one-stop hall (issue 12 item 9): the kiosk's ward set once per device by an officer,
a numbered slip, the counter's call of the next number, the hall display; numbers consecutive per ward and
day with no duplicates under concurrency."""

import threading

import pytest
from django.db import connection

from motcua.core.models import AuditEntry
from motcua.org.models import Role
from motcua.portal import queue
from motcua.portal.models import QueueField, QueueTicket

pytestmark = pytest.mark.django_db
CALLERS = ["unit", "other_unit", "citizen", "anonymous"]


def _as(client, caller, make_staff, ward_a, ward_b, citizen, role=Role.DESK_OFFICER):
    if caller == "unit":
        client.force_login(make_staff(role, ward_a))
    elif caller == "other_unit":
        client.force_login(make_staff(role, ward_b))
    elif caller == "citizen":
        client.force_login(citizen)
    return client


def _kiosk_for(client, make_staff, unit):
    """An officer of `unit` sets this device (the test client's cookie jar) up, then signs out."""
    client.force_login(make_staff(Role.DESK_OFFICER, unit))
    assert client.post("/staff/ki-ot/", {"unit": unit.code}).status_code == 302
    kept = client.cookies[queue.KIOSK_UNIT_COOKIE]
    client.logout()  # the test client drops every cookie here; a browser keeps the device's setting
    client.cookies[queue.KIOSK_UNIT_COOKIE] = kept.value
    return client


@pytest.mark.parametrize("caller", CALLERS)
def test_kiosk_setup_four_callers(client, caller, make_staff, ward_a, ward_b, citizen):
    _as(client, caller, make_staff, ward_a, ward_b, citizen)
    before = AuditEntry.objects.count()
    response = client.post("/staff/ki-ot/", {"unit": ward_a.code})
    if caller == "unit":
        assert response.status_code == 302 and response["Location"] == "/kiosk/lay-so/"
        assert queue.KIOSK_UNIT_COOKIE in response.cookies
        assert AuditEntry.objects.filter(action="portal.kiosk_unit_set").count() == 1
        return
    if caller == "other_unit":
        assert response.status_code == 400 and "nơi bạn làm việc" in response.content.decode()
    elif caller == "citizen":
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "/staff/login/" in response["Location"]
    assert queue.KIOSK_UNIT_COOKIE not in response.cookies
    assert AuditEntry.objects.count() == before


def test_a_kiosk_nobody_set_up_issues_no_number(client):
    response = client.post("/kiosk/lay-so/", {"field": QueueField.CIVIL})
    assert response.status_code == 409 and "chưa được cán bộ thiết lập" in response.content.decode()
    assert not QueueTicket.objects.exists()


def test_a_forged_kiosk_cookie_is_ignored(client, ward_a):
    client.cookies[queue.KIOSK_UNIT_COOKIE] = ward_a.code  # unsigned
    assert client.post("/kiosk/lay-so/", {"field": QueueField.CIVIL}).status_code == 409
    assert not QueueTicket.objects.exists()


def test_numbers_are_consecutive_per_ward_and_printed(client, make_staff, ward_a, ward_b):
    kiosk_a = _kiosk_for(client, make_staff, ward_a)
    page = kiosk_a.get("/kiosk/lay-so/").content.decode()
    assert ward_a.name in page and 'id="queue-ho-tich"' in page
    first = kiosk_a.post("/kiosk/lay-so/", {"field": QueueField.CIVIL}).content.decode()
    second = kiosk_a.post("/kiosk/lay-so/", {"field": QueueField.GENERAL}).content.decode()
    assert 'id="queue-number">0001<' in first and "Hộ tịch" in first and "data-print" in first
    assert 'id="queue-number">0002<' in second
    kiosk_b = _kiosk_for(type(client)(), make_staff, ward_b)
    other = kiosk_b.post("/kiosk/lay-so/", {"field": QueueField.CIVIL}).content.decode()
    assert 'id="queue-number">0001<' in other
    bad = kiosk_a.post("/kiosk/lay-so/", {"field": "khong-co"})
    assert bad.status_code == 400 and QueueTicket.objects.count() == 3


@pytest.mark.parametrize("caller", CALLERS)
def test_calling_the_next_number_four_callers(client, caller, make_staff, ward_a, ward_b, citizen):
    queue.take_ticket(ward_a, QueueField.CIVIL)
    queue.take_ticket(ward_a, QueueField.GENERAL)
    _as(client, caller, make_staff, ward_a, ward_b, citizen)
    response = client.post("/staff/goi-so/", {"field": QueueField.GENERAL, "desk": "3"})
    general = QueueTicket.objects.get(number=2)
    if caller == "unit":
        assert response.status_code == 200 and general.called_at is not None and general.desk == "3"
        assert QueueTicket.objects.get(number=1).called_at is None  # another field's number waits
        assert AuditEntry.objects.filter(action="portal.queue_number_called").count() == 1
        board = client.get(f"/hang-doi/{ward_a.code}/so-da-goi.json").json()
        assert board["called"] == [{"number": "0002", "desk": "3", "field": "Tiếp nhận, trả kết quả chung"}]
        return
    if caller == "other_unit":  # their own ward's queue: nobody waits there
        assert response.status_code == 200 and "Không còn ai chờ" in response.content.decode()
    elif caller == "citizen":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
    assert general.called_at is None and not QueueTicket.objects.filter(called_at__isnull=False).exists()


def test_the_hall_display_polls_its_own_script(client, ward_a, make_staff):
    queue.take_ticket(ward_a, QueueField.CIVIL)
    queue.call_next(ward_a, QueueField.CIVIL, actor=make_staff(Role.DESK_OFFICER, ward_a), desk="2")
    page = client.get(f"/hang-doi/{ward_a.code}/").content.decode()
    assert "0001" in page and "portal/hall.js" in page and "<script>" not in page
    assert f'data-board="/hang-doi/{ward_a.code}/so-da-goi.json"' in page
    assert client.get("/hang-doi/khong-co/").status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is measured on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_kiosks_never_draw_the_same_number(ward_a):
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def take(n: int) -> None:
        from django.db import connection as thread_connection

        try:
            for _ in range(n):
                ticket = queue.take_ticket(ward_a, QueueField.GENERAL)
                with lock:
                    numbers.append(ticket.number)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=take, args=(5,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(numbers) == list(range(1, 41))
    assert sorted(QueueTicket.objects.values_list("number", flat=True)) == list(range(1, 41))


def test_feedback_without_a_place_is_about_the_kiosks_ward(client, make_staff, ward_b):
    import re

    from motcua.feedback.demo import seed_categories
    from motcua.feedback.selectors import report_by_code

    seed_categories()
    kiosk = _kiosk_for(client, make_staff, ward_b)
    response = kiosk.post("/kiosk/phan-anh/", {"description": "Nhà vệ sinh ở sảnh một cửa bị hỏng vòi nước."})
    assert response.status_code == 200, response.content.decode()[-1500:]
    code = re.search(r"Mã số phản ánh của ông/bà là ([^.<\s]+)", response.content.decode()).group(1)
    assert report_by_code(code).ward == ward_b
