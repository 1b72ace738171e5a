from django.urls import path

from motcua.catalog import views

app_name = "catalog"
urlpatterns = [
    path("thu-tuc/", views.procedure_list, name="list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="detail"),
    path("staff/catalog/", views.staff_index, name="staff-index"),
    path("staff/catalog/tai-cau-truc/", views.reengineering, name="staff-reengineering"),
    path("staff/catalog/excel/", views.excel, name="staff-excel"),
]
