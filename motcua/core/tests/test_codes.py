"""Dossier codes: format of TT 01/2018 Art 19, unique under concurrent intake."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.codes import CODE_RE, dossier_code, format_code, is_valid_code, next_sequence


@pytest.mark.django_db
def test_code_has_agency_date_and_daily_sequence():
    day = dt.date(2020, 11, 5)
    assert dossier_code("000.00.12.H62", day) == "000.00.12.H62-201105-0001"
    assert dossier_code("000.00.12.H62", day) == "000.00.12.H62-201105-0002"
    assert dossier_code("000.00.13.H62", day) == "000.00.13.H62-201105-0001"
    assert dossier_code("000.00.12.H62", day + dt.timedelta(days=1)).endswith("-201106-0001")


@given(seq=st.integers(min_value=1, max_value=10**7), day=st.dates())
def test_formatted_codes_parse_back(seq, day):
    code = format_code("000.26.758.H29", day, seq)
    match = CODE_RE.match(code)
    assert match and int(match["seq"]) == seq and match["date"] == day.strftime("%y%m%d")
    assert is_valid_code(code)


def test_malformed_codes_are_rejected():
    assert not is_valid_code("")
    assert not is_valid_code("abc")
    assert not is_valid_code("000.00.12.H62-2011-0004")
    assert not is_valid_code("000.00.12.H62-201105-04")


@pytest.mark.django_db(transaction=True)
def test_parallel_intake_never_draws_the_same_number():
    """Several threads, each with its own database connection, draw numbers at the same time."""
    day = dt.date(2026, 11, 27)
    workers, per_worker = 8, 40
    drawn: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(workers)

    def work():
        try:
            barrier.wait()
            mine = [next_sequence("000.26.758.H29", day) for _ in range(per_worker)]
            with lock:
                drawn.extend(mine)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(drawn) == list(range(1, workers * per_worker + 1)), connection.vendor
