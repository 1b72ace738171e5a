from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def received_dossiers(procedure, start, end, unit):
    """Dossiers validly received for `procedure` in [start, end] (within `unit` if given), for the catalog's
    re-engineering report. None when nothing was recorded, so the report falls back to its estimate."""
    from motcua.dossiers.models import Dossier

    rows = Dossier.objects.filter(procedure=procedure, received_at__date__range=(start, end))
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    return rows.count() or None


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        from motcua.catalog.report import register_volume_provider
        from motcua.citizens.selectors import register_dossier_finder
        from motcua.dossiers import home
        from motcua.dossiers.selectors import get_dossier_for_staff
        from motcua.org.home import register_home_section

        register_volume_provider(received_dossiers)
        register_dossier_finder(get_dossier_for_staff)
        register_home_section(home.sections)
