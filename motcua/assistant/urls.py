from django.urls import path

from motcua.assistant import views, zalo_views

app_name = "assistant"
urlpatterns = [
    path("zalo/webhook/", zalo_views.webhook, name="zalo-webhook"),
    path("staff/tro-ly/", views.queue, name="queue"),
    path("staff/tro-ly/tim/", views.search, name="search"),
    path("staff/tro-ly/hoi-dap/<int:pk>/", views.handover, name="handover"),
    path("staff/tro-ly/cuoc-tro-chuyen/<str:public_id>/", views.conversation, name="conversation"),
]
