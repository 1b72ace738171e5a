"""Production refuses to start with the Zalo OA webhook on but without its keys (motcua.E141)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def zalo_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not settings.PRODUCTION or not settings.ASSISTANT_ZALO_ENABLED:
        return []
    missing = [
        name
        for name in ("ASSISTANT_ZALO_APP_ID", "ASSISTANT_ZALO_OA_SECRET", "ASSISTANT_ZALO_ACCESS_TOKEN")
        if not getattr(settings, name)  # noqa: TID251 - names of this app's own settings, checked at start
    ]
    errors = [Error(f"{name} is not set", id="motcua.E141") for name in missing]
    if settings.ASSISTANT_ZALO_API_URL.startswith("http://"):
        errors.append(Error("ASSISTANT_ZALO_API_URL must be https in production", id="motcua.E141"))
    return errors
