from django.urls import path, re_path

from motcua.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("staff/dashboard/", views.dashboard, name="index"),
    path("staff/dashboard/ho-so/", views.drill, name="drill"),
    re_path(r"^staff/dashboard/xuat\.(?P<fmt>csv|xlsx|pdf)$", views.export, name="export"),
    path("staff/dashboard/diem-nong/", views.hot_spots, name="hotspots"),
    path("staff/dashboard/chi-so-766/", views.quality_page, name="quality"),
    path("cong-khai/", views.public_index, name="public"),
    path("cong-khai/<str:code>/", views.public_unit, name="public-unit"),
    path("du-lieu-mo/datapackage.json", views.datapackage, name="datapackage"),
    re_path(r"^du-lieu-mo/ho-so-theo-thang\.(?P<fmt>csv|json)$", views.open_data, name="open-data"),
]
