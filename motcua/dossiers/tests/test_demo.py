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
