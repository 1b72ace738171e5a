"""This app's routes under /api/v1/ (included by motcua.api_urls)."""

urlpatterns: list = []
