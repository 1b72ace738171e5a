"""Production refuses to start with the Zalo OA webhook on but without its keys (motcua.E141)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def zalo_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not settings.PRODUCTION or not settings.ASSISTANT_ZALO_ENABLED:
        return []
    keys = {
        "ASSISTANT_ZALO_APP_ID": settings.ASSISTANT_ZALO_APP_ID,
        "ASSISTANT_ZALO_OA_SECRET": settings.ASSISTANT_ZALO_OA_SECRET,
        "ASSISTANT_ZALO_ACCESS_TOKEN": settings.ASSISTANT_ZALO_ACCESS_TOKEN,
    }
    missing = [name for name, value in keys.items() if not value]
    errors = [Error(f"{name} is not set", id="motcua.E141") for name in missing]
    if settings.ASSISTANT_ZALO_API_URL.startswith("http://"):
        errors.append(Error("ASSISTANT_ZALO_API_URL must be https in production", id="motcua.E141"))
    return errors
