from django.urls import path, re_path

from motcua.documents import views

app_name = "documents"
urlpatterns = [
    path("staff/van-ban-den/", views.index, name="index"),
    path("staff/van-ban-den/vao-so", views.register, name="register"),
    re_path(r"^staff/van-ban-den/so-den\.(?P<fmt>pdf|xlsx)$", views.register_report, name="register-report"),
    re_path(r"^staff/van-ban-den/tinh-hinh\.(?P<fmt>pdf|xlsx)$", views.status_report, name="status-report"),
    path("staff/van-ban-den/<int:pk>/", views.detail, name="detail"),
    path("staff/van-ban-den/<int:pk>/phieu.pdf", views.slip, name="slip"),
    path("staff/van-ban-den/<int:pk>/tep/<int:file_id>", views.download, name="file"),
    path(
        "staff/van-ban-den/<int:pk>/tep/<int:file_id>/trang/<int:number>.png", views.page_image, name="page"
    ),
    path("staff/van-ban-den/<int:pk>/<str:action>", views.act, name="act"),
]
