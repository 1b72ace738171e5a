from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from django.conf import settings

        from motcua.core import checks  # at ready(): the checks read the populated app registry

        if settings.PRODUCTION:
            errors = checks.production_errors()
            if errors:
                raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg}" for e in errors))
