from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("motcua.core.ops_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("motcua.api_urls")),
    path("", include("motcua.core.urls")),
    path("", include("motcua.org.urls")),
    path("", include("motcua.catalog.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.citizens.urls")),
    path("", include("motcua.civil.urls")),
    path("", include("motcua.feedback.urls")),
    path("", include("motcua.surveys.urls")),
    path("", include("motcua.assistant.urls")),
    path("", include("motcua.documents.urls")),
    path("", include("motcua.portal.urls")),
    path("", include("motcua.dashboard.urls")),
]

handler400 = "motcua.core.views.bad_request"
handler403 = "motcua.core.views.permission_denied"
handler404 = "motcua.core.views.not_found"
handler500 = "motcua.core.views.server_error"
