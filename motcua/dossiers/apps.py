from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # models cannot be imported while the app registry loads this module
    from motcua.catalog.selectors import Procedure
    from motcua.org.models import Unit


def received_dossiers(procedure: Procedure, start: dt.date, end: dt.date, unit: Unit | None) -> int | None:
    """Dossiers validly received for `procedure` in [start, end] (within `unit` if given), for the catalog's
    re-engineering report. None when nothing was recorded, so the report falls back to its estimate."""
    from motcua.dossiers.models import Dossier  # the app registry loads this module before any model

    rows = Dossier.objects.filter(procedure=procedure, received_at__date__range=(start, end))
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    return rows.count() or None


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        # imports at ready(): models and the apps' modules exist only once the registry is populated
        from motcua.catalog.report import register_volume_provider
        from motcua.citizens.selectors import register_dossier_finder
        from motcua.dossiers import home
        from motcua.dossiers.selectors import get_dossier_for_staff
        from motcua.org.home import register_home_section

        register_volume_provider(received_dossiers)
        register_dossier_finder(get_dossier_for_staff)
        register_home_section(home.sections)
