"""Citizen authentication backends (owned by the portal app; filled in by the portal work)."""

from django.contrib.auth.backends import BaseBackend


class PhoneOTPBackend(BaseBackend):
    def authenticate(self, request, phone=None, code=None, **kwargs):
        return None


class VNeIDBackend(BaseBackend):
    def authenticate(self, request, **kwargs):
        return None
