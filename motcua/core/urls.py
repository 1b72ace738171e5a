from django.conf import settings
from django.urls import path

from motcua.core import views

urlpatterns = [
    path("favicon.ico", views.favicon),
]
if settings.MOTCUA_OUTBOX_VIEWER:
    # A demo and diagnostic page (secrets masked); production does not route it (docs/security.md).
    urlpatterns += [path("staff/outbox/", views.outbox, name="outbox")]
