from django.urls import path

from motcua.civil import views

app_name = "civil"
urlpatterns = [
    path("staff/civil/", views.index, name="index"),
    path("staff/civil/register/<str:kind>/", views.register, name="register"),
    path("staff/civil/from-dossier/", views.from_dossier, name="from_dossier"),
    path("staff/civil/records/<str:kind>/<uuid:public_id>/", views.record, name="record"),
    path("staff/civil/extracts/<uuid:public_id>/", views.extract, name="extract"),
    path("staff/civil/extracts/<uuid:public_id>/pdf/", views.extract_pdf, name="extract_pdf"),
    path("staff/civil/marital-status/", views.marital_status, name="marital"),
    path("staff/civil/marital-status/<uuid:public_id>/pdf/", views.marital_pdf, name="marital_pdf"),
    path("xac-minh/<str:code>/", views.verify, name="verify"),
]
