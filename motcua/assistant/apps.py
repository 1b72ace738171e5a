from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "motcua.assistant"
    label = "assistant"
    verbose_name = _("Trợ lý trực tuyến 24/7")

    def ready(self) -> None:
        from motcua.assistant import checks  # noqa: F401  (registers the production check)
