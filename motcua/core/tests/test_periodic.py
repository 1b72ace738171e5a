"""Scheduled jobs run once per period however many schedulers run (issue 13 item 2)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from motcua.core import periodic
from motcua.core.models import PeriodicSlot


class CountingTask:
    module_path = "tests.counting"

    def __init__(self) -> None:
        self.enqueued = 0
        self._lock = threading.Lock()

    def enqueue(self) -> None:
        with self._lock:
            self.enqueued += 1


MOMENT = dt.datetime(2026, 12, 7, 8, 0, 1, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_two_schedulers_enqueue_each_period_once() -> None:
    task = CountingTask()
    schedule: list[tuple[Any, int]] = [(task, 300)]
    assert periodic.run_due(schedule, MOMENT) == ["tests.counting"]
    assert periodic.run_due(schedule, MOMENT + dt.timedelta(seconds=5)) == []  # the second scheduler
    assert (
        periodic.run_due(schedule, MOMENT + dt.timedelta(seconds=298)) == []
    )  # same period (08:00:00-08:05:00)
    assert periodic.run_due(schedule, MOMENT + dt.timedelta(seconds=300)) == ["tests.counting"]
    assert task.enqueued == 2 and PeriodicSlot.objects.count() == 2


@pytest.mark.django_db
def test_old_slots_are_forgotten() -> None:
    periodic.claim_period(CountingTask(), 60, MOMENT)
    PeriodicSlot.objects.update(created_at=MOMENT - dt.timedelta(days=3))
    assert periodic.forget_old_slots() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_eight_concurrent_schedulers_enqueue_once() -> None:
    task = CountingTask()
    barrier = threading.Barrier(8)

    def scheduler() -> None:
        try:
            barrier.wait()
            periodic.run_due([(task, 60)], MOMENT)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert task.enqueued == 1
