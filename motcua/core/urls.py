from django.conf import settings
from django.urls import path

from motcua.core import views

urlpatterns = [
    path("favicon.ico", views.favicon),
    path("demo/dien-thoai/", views.demo_phone, name="demo-phone"),  # 404 unless MOTCUA_DEMO_PHONE
]
if settings.MOTCUA_OUTBOX_VIEWER:
    # A demo and diagnostic page (secrets masked); production does not route it (docs/security.md).
    urlpatterns += [path("staff/outbox/", views.outbox, name="outbox")]
