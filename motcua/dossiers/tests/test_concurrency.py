"""Two officers on the same dossier at the same moment: exactly one wins, the other is told why."""

import threading

import pytest
from django.db import connection, connections

from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import TaskStatus
from motcua.org.models import Role


@pytest.mark.django_db(transaction=True)
def test_two_officers_claim_the_same_task(intake, make_staff, ward_a):
    if connection.vendor == "sqlite":
        pytest.skip("row locks across threads need PostgreSQL (SQLite serialises the whole database)")
    first = make_staff(Role.SPECIALIST, ward_a, full_name="Trần Văn Một")
    second = make_staff(Role.SPECIALIST, ward_a, full_name="Lê Thị Hai")
    d = intake()
    task = d.tasks.get(order=2)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def act(officer):
        try:
            barrier.wait()
            services.claim_task(task, actor=officer)
            results[officer.full_name] = "ok"
        except DossierError as exc:
            results[officer.full_name] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(o,)) for o in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [name for name, r in results.items() if r == "ok"]
    losers = [r for r in results.values() if r != "ok"]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0].code == "task_taken"
    assert winners[0] in losers[0].message  # "Bước này đã được <winner> nhận xử lý trước bạn."
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.assignee.full_name == winners[0]
    assert d.events.filter(action="claim").count() == 1
