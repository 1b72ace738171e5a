from django.urls import path

from motcua.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("staff/dossiers/", views.home, name="home"),
    path("staff/dossiers/new/", views.intake, name="intake"),
    path("staff/dossiers/new/lookup/", views.registry_lookup, name="lookup"),
    path("staff/dossiers/log-book/", views.log_book, name="log-book"),
    path("staff/dossiers/<str:code>/", views.detail, name="detail"),
    path("staff/dossiers/<str:code>/act/<slug:action>/", views.act, name="act"),
    path("staff/dossiers/<str:code>/papers/<int:pk>/", views.paper_file, name="paper"),
    path("staff/dossiers/<str:code>/results/<int:pk>/", views.result_file, name="result"),
    path("staff/dossiers/<str:code>/mau-<str:number>.pdf", views.form_pdf, name="form"),
    path("staff/dossiers/<str:code>/mau-06.xlsx", views.control_sheet_xlsx, name="control-xlsx"),
]
