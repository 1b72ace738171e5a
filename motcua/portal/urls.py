from django.conf import settings
from django.urls import include, path

from motcua.portal import hall, kiosk, oidc, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.sign_in, name="portal-login"),
    path("nop-ho-so/<str:code>/", views.submit_start, name="portal-submit"),
    path("nop-ho-so/<str:code>/xem-lai/", views.submit_review, name="portal-submit-review"),
    path("nop-ho-so/<str:code>/gui/", views.submit_send, name="portal-submit-send"),
    path("da-nop/<str:code>/", views.submitted, name="portal-submitted"),
    path("tai-khoan/", views.my_dossiers, name="portal-my-dossiers"),
    path("tai-khoan/ho-so/<str:code>/", views.my_dossier, name="portal-my-dossier"),
    path("tai-khoan/ho-so/<str:code>/ket-qua/<int:file_id>/", views.result_download, name="portal-result"),
    path("tra-cuu/", views.track, name="portal-track"),
    path("tra-cuu/<str:code>/", views.track_code, name="portal-track-code"),
    # Kiosk mode
    path("kiosk/", kiosk.home, name="kiosk-home"),
    path("kiosk/thoat/", kiosk.reset, name="kiosk-reset"),
    path("kiosk/tra-cuu/", kiosk.lookup, name="kiosk-lookup"),
    path("kiosk/tra-cuu/<str:code>/", kiosk.lookup_result, name="kiosk-lookup-result"),
    path("kiosk/thu-tuc/", kiosk.procedures, name="kiosk-procedures"),
    path("kiosk/thu-tuc/<str:code>/", kiosk.procedure, name="kiosk-procedure"),
    path("kiosk/danh-gia/", kiosk.rate_lookup, name="kiosk-rate"),
    path("kiosk/danh-gia/<str:code>/", kiosk.rate, name="kiosk-rate-code"),
    path("kiosk/phan-anh/", kiosk.feedback, name="kiosk-feedback"),
    # The one-stop hall: queue numbers (kiosk), the counter's call, the hall display
    path("kiosk/lay-so/", hall.take_number, name="kiosk-queue"),
    path("staff/ki-ot/", hall.kiosk_setup, name="kiosk-setup"),
    path("staff/goi-so/", hall.counter, name="counter-call"),
    path("hang-doi/<str:code>/", hall.hall_display, name="hall-display"),
    path("hang-doi/<str:code>/so-da-goi.json", hall.hall_board, name="hall-board"),
    # The relying party (the portal signing citizens in with VNeID)
    path("oidc/", include("mozilla_django_oidc.urls")),
]

if settings.VNEID_LOCAL_PROVIDER:
    # The local OpenID Connect provider standing in for VNeID (development, demo, tests; never in production
    # unless VNEID_LOCAL_PROVIDER is set). Our views come first: VNeID claims, Vietnamese pages.
    urlpatterns += [
        path("o/authorize/", oidc.VNeIDAuthorizationView.as_view(), name="vneid-authorize"),
        path("o/token/", oidc.VNeIDTokenView.as_view(), name="vneid-token"),
        path("o/userinfo/", oidc.VNeIDUserInfoView.as_view(), name="vneid-userinfo"),
        path("o/dang-nhap/", oidc.identity_login, name="vneid-login"),
        path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    ]
else:
    # Connected systems still take client-credentials tokens here (motcua.org.clients).
    urlpatterns += [path("o/token/", oidc.VNeIDTokenView.as_view(), name="vneid-token")]
