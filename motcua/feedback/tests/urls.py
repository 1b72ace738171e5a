"""The project's routes this app's tests need (isolates the tests from other apps' work in progress)."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/phan-anh/"), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("motcua.feedback.api_urls")),
    path("", include("motcua.core.urls")),
    path("", include("motcua.org.urls")),
    path("", include("motcua.feedback.urls")),
]
