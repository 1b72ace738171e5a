from django.urls import path, re_path

from motcua.feedback import open311, views

app_name = "feedback"
F = r"\.(?P<fmt>[a-z]+)$"
urlpatterns = [
    # Open311 GeoReport v2
    re_path(r"^open311/v2/discovery" + F, open311.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + F, open311.service_list, name="open311-services"),
    re_path(
        r"^open311/v2/services?/(?P<code>[-\w]+)" + F, open311.service_definition, name="open311-service"
    ),
    re_path(r"^open311/v2/requests" + F, open311.requests_view, name="open311-requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[-\w]+)" + F, open311.request_detail, name="open311-request"
    ),
    re_path(r"^open311/v2/tokens/(?P<token>[-\w]+)" + F, open311.token_detail, name="open311-token"),
    # public pages
    path("phan-anh/", views.public_form, name="public-form"),
    path("phan-anh/cong-khai/", views.public_list, name="public-list"),
    path("phan-anh/<str:code>/", views.public_report, name="public-report"),
    path("phan-anh/<str:code>/danh-gia/<str:token>/", views.rate_page, name="rate"),
    # staff
    path("staff/feedback/", views.dashboard, name="dashboard"),
    path("staff/feedback/hotline/", views.hotline, name="hotline"),
    path("staff/feedback/hotline/lookup/", views.hotline_lookup, name="hotline-lookup"),
    path("staff/feedback/<str:code>/", views.staff_report, name="staff-report"),
    path("staff/feedback/<str:code>/<str:action>/", views.staff_action, name="staff-action"),
]
