"""GET /api/v1/calendar/due with concrete dates: Tết 2026, 30/4-1/5, 2/9, weekends, 15:00, office hours."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

URL = "/api/v1/calendar/due"


@pytest.fixture
def procs(make_procedure, province):
    make_procedure("9.100001", "Trong ngày", times=[["counter", "0.00", "same_day", ""]])
    make_procedure("9.100003", "Ba ngày làm việc", times=[["counter", "3.00", "working_days", ""]])
    make_procedure("9.100005", "Năm ngày làm việc", times=[["counter", "5.00", "working_days", ""]])
    make_procedure("9.100020", "Hai mươi ngày", times=[["counter", "20.00", "days", ""]])
    make_procedure("9.100100", "Một giờ", times=[["counter", "1.00", "hours", ""]])
    make_procedure(
        "9.100017",
        "Theo kênh",
        times=[["counter", "27.00", "working_days", ""], ["online", "17.00", "working_days", ""]],
    )


def due(client, procedure, received_at, **extra):
    return client.get(URL, {"procedure": procedure, "received_at": received_at, **extra})


@pytest.mark.parametrize(
    ("procedure", "received_at", "due_at", "counting_from"),
    [
        # same day, received before 15:00 -> closing time that day
        ("9.100001", "2026-02-13T14:00:00+07:00", "2026-02-13T17:00:00+07:00", "2026-02-13T14:00:00+07:00"),
        # same day, received after 15:00 on the Friday before Tết (16-20 Feb) -> Monday 23 Feb
        ("9.100001", "2026-02-13T16:00:00+07:00", "2026-02-23T17:00:00+07:00", "2026-02-13T16:00:00+07:00"),
        # received on a Saturday during Tết week-end: counting starts Monday 23 Feb 07:30
        ("9.100001", "2026-02-14T09:00:00+07:00", "2026-02-23T17:00:00+07:00", "2026-02-23T07:30:00+07:00"),
        # given in UTC: 08:30Z is 15:30 in Hà Nội time -> after 15:00
        ("9.100001", "2026-02-13T08:30:00Z", "2026-02-23T17:00:00+07:00", "2026-02-13T15:30:00+07:00"),
        # 5 working days across Tết: 10, 11, 12, 13 Feb, then 23 Feb
        ("9.100005", "2026-02-09T09:00:00+07:00", "2026-02-23T17:00:00+07:00", "2026-02-09T09:00:00+07:00"),
        # 3 working days from 29 April: 30/4 and 1/5 are holidays, then a week-end -> 4, 5, 6 May
        ("9.100003", "2026-04-29T10:00:00+07:00", "2026-05-06T17:00:00+07:00", "2026-04-29T10:00:00+07:00"),
        # 3 working days from Friday 28 Aug 2026: 31/8 (substituted day off), 1/9, 2/9 off -> 3, 4, 7 Sep
        ("9.100003", "2026-08-28T10:00:00+07:00", "2026-09-07T17:00:00+07:00", "2026-08-28T10:00:00+07:00"),
        # received in the evening (outside office hours): counting from 07:30 next morning
        ("9.100003", "2026-03-03T19:30:00+07:00", "2026-03-09T17:00:00+07:00", "2026-03-04T07:30:00+07:00"),
        # received during the lunch break: counting from 13:00
        ("9.100001", "2026-03-04T12:00:00+07:00", "2026-03-04T17:00:00+07:00", "2026-03-04T13:00:00+07:00"),
        # 20 calendar days from 10 April end on 30 April (holiday), then 1/5 and a week-end -> Monday 4 May
        ("9.100020", "2026-04-10T10:00:00+07:00", "2026-05-04T17:00:00+07:00", "2026-04-10T10:00:00+07:00"),
        # one working hour from 16:30 on 13 Feb: half an hour that day, half an hour after Tết
        ("9.100100", "2026-02-13T16:30:00+07:00", "2026-02-23T08:00:00+07:00", "2026-02-13T16:30:00+07:00"),
    ],
)
def test_due_times(client, procs, procedure, received_at, due_at, counting_from):
    response = due(client, procedure, received_at)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_at"] == due_at
    assert body["counting_from"] == counting_from
    assert body["procedure"] == procedure
    assert body["unit"] == "79"


def test_legal_time_and_channel(client, procs):
    counter = due(client, "9.100017", "2026-03-02T08:00:00+07:00").json()
    online = due(client, "9.100017", "2026-03-02T08:00:00+07:00", channel="online").json()
    assert counter["legal_time"] == {"value": 27, "unit": "working_days"}
    assert online["legal_time"] == {"value": 17, "unit": "working_days"}
    assert online["due_at"] == "2026-03-25T17:00:00+07:00"


def test_unit_codes_resolve_to_todays_unit(client, procs):
    body = due(client, "9.100001", "2026-02-13T14:00:00+07:00", unit="26758").json()
    assert body["unit"] == "26758"
    old = due(client, "9.100001", "2026-02-13T14:00:00+07:00", unit="26761").json()  # old phường Cầu Kho
    assert old["unit"] == "26758"


def test_a_plus_sign_lost_in_an_unencoded_query_string_is_tolerated(client, procs):
    response = client.get(f"{URL}?procedure=9.100001&received_at=2026-02-13T16:00:00+07:00")
    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-02-23T17:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "code", "words"),
    [
        ({"procedure": "9.100001"}, "missing_date", "Thiếu thời điểm tiếp nhận"),
        ({"procedure": "9.100001", "received_at": "13/02/2026"}, "bad_date", "ISO 8601"),
        ({"procedure": "9.100001", "received_at": "2026-02-13T16:00:00"}, "bad_date", "múi giờ"),
        ({"procedure": "9.100001", "received_at": "2026-02-30T10:00:00+07:00"}, "bad_date", "không hợp lệ"),
        ({"received_at": "2026-02-13T16:00:00+07:00"}, "missing_procedure", "Thiếu mã thủ tục"),
        (
            {"procedure": "8.888888", "received_at": "2026-02-13T16:00:00+07:00"},
            "procedure_not_found",
            "Không tìm thấy thủ tục",
        ),
        (
            {"procedure": "9.100001", "received_at": "2026-02-13T16:00:00+07:00", "unit": "00000"},
            "unit_not_found",
            "Không tìm thấy đơn vị",
        ),
        ({"procedure": "1001193", "received_at": "2026-02-13T16:00:00+07:00"}, "bad_code", "N.NNNNNN"),
        (
            {"procedure": "9.100001", "received_at": "2026-02-13T16:00:00+07:00", "unit": ""},
            "bad_unit",
            "Mã đơn vị",
        ),
        (
            {"procedure": "9.100001", "received_at": "2026-02-13T16:00:00+07:00", "channel": ""},
            "bad_channel",
            "Kênh",
        ),
        (
            {"procedure": "9.100001", "received_at": "2026-02-13T16:00:00+07:00", "channel": "fax"},
            "bad_channel",
            "Kênh nộp",
        ),
    ],
)
def test_bad_input_gives_a_clear_vietnamese_message(client, procs, params, code, words):
    response = client.get(URL, params)
    # Well-formed codes that name nothing are 404 (documented); malformed input is 400.
    assert response.status_code == (404 if code.endswith("_not_found") else 400)
    assert response.json()["code"] == code
    assert words in response.json()["detail"]


def test_public_and_throttled(client, procs):
    throttle = ScopedRateThrottle()
    allowed, _seconds = throttle.parse_rate(throttle.THROTTLE_RATES["public_lookup"])
    statuses = [due(client, "9.100001", "2026-02-13T14:00:00+07:00").status_code for _ in range(allowed + 1)]
    assert statuses[:allowed] == [200] * allowed
    assert statuses[-1] == 429
