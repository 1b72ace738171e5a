from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.org import views

urlpatterns = [
    path("staff/login/", views.StaffLoginView.as_view(), name="staff-login"),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="staff-logout"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/2fa/", views.totp_setup, name="staff-totp"),
]
