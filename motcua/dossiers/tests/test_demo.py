"""The demo seed: dossiers in many statuses through the services; a second run changes nothing."""

from django.db.models import Count

from motcua.dossiers import demo
from motcua.dossiers.models import Dossier, DossierEvent


def test_demo_seed_is_idempotent(db, province, monkeypatch):
    from motcua.catalog import demo as catalog_demo
    from motcua.org import demo as org_demo

    org_demo.seed()
    catalog_demo.seed()
    monkeypatch.setattr(demo, "COUNT", 40)
    demo.seed()
    assert Dossier.objects.count() == 40
    statuses = dict(Dossier.objects.values_list("status").annotate(n=Count("id")))
    assert len(statuses) >= 7, statuses
    assert Dossier.objects.filter(code__contains="-", received_at__isnull=False).exists()
    events = DossierEvent.objects.count()
    demo.seed()
    assert Dossier.objects.count() == 40 and DossierEvent.objects.count() == events


def test_demo_lives_finish_and_nothing_is_dated_after_the_demo_clock(db, province, monkeypatch):
    """Every demo life ends where it was meant to (a refusal is the leader's, at the leader's step), and no
    event, receipt or result is dated after the moment the demo was seeded."""
    import io

    from django.utils import timezone

    from motcua.catalog import demo as catalog_demo
    from motcua.org import demo as org_demo

    org_demo.seed()
    catalog_demo.seed()
    monkeypatch.setattr(demo, "COUNT", 90)
    out = io.StringIO()
    demo.seed(out)
    now = timezone.now()
    assert "stopped early" not in out.getvalue() and "(0 lives cut short)" in out.getvalue(), out.getvalue()
    assert Dossier.objects.filter(status="refused").exists()
    assert not DossierEvent.objects.filter(at__gt=now).exists()
    for field in ("received_at", "result_ready_at", "returned_at", "supplement_requested_at", "apologised_at"):
        assert not Dossier.objects.filter(**{f"{field}__gt": now}).exists(), field
