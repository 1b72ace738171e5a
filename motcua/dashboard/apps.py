from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "motcua.dashboard"
    label = "dashboard"
    verbose_name = _("Bảng điều hành")

    def ready(self) -> None:
        # The roll-ups follow every dossier and feedback action in the action's own transaction.
        from motcua.dashboard import rollups
        from motcua.dossiers.services import engine
        from motcua.feedback import services as feedback_services

        engine.on_transition(rollups.on_dossier_action)
        feedback_services.on_transition(rollups.on_report_action)
