from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        from motcua.feedback import home
        from motcua.org.home import register_home_section

        register_home_section(home.sections)
