"""Startup checks of the platform's own settings (docs/security.md, docs/operations.md).

In production an error here stops the process (`CoreConfig.ready`), not only `motcua check`: a message
gateway that is not configured must not mark messages sent, and the audit chain needs its key.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

from motcua.core import notify

CHANNELS = ("sms", "email", "zalo")


def adapter_errors() -> list[Error]:
    errors = []
    for channel in CHANNELS:
        name = notify.adapter_setting(channel)
        variable = f"MOTCUA_{channel.upper()}_ADAPTER"
        if not name:
            errors.append(
                Error(
                    f"{variable} is not set",
                    hint="outbox, email, disabled or a dotted path",
                    id="motcua.E001",
                )
            )
            continue
        if settings.PRODUCTION and name in notify.LOCAL_ADAPTERS:
            errors.append(
                Error(
                    f"{variable}={name} keeps messages on this server: not allowed in production",
                    hint="configure a real gateway, or 'disabled' to fail such messages honestly",
                    id="motcua.E001",
                )
            )
            continue
        try:
            adapter = import_string(notify.ADAPTERS.get(name, name))
        except ImportError:
            errors.append(Error(f"{variable}={name}: no such adapter", id="motcua.E001"))
            continue
        if not (isinstance(adapter, type) and issubclass(adapter, notify.Adapter)):
            errors.append(Error(f"{variable}={name} is not a motcua.core.notify.Adapter", id="motcua.E001"))
            continue
        if adapter is notify.HttpSmsAdapter and not settings.MOTCUA_SMS_GATEWAY_URL.startswith(
            ("http://", "https://")
        ):
            errors.append(
                Error(f"{variable}={name} needs MOTCUA_SMS_GATEWAY_URL (http or https)", id="motcua.E001")
            )
    return errors


def production_errors() -> list[Error]:
    errors = adapter_errors()
    if settings.PRODUCTION and len(settings.MOTCUA_AUDIT_KEY) < 32:
        errors.append(
            Error(
                "MOTCUA_AUDIT_KEY must be set (32+ characters) when MOTCUA_ENV=production",
                hint="a random secret kept outside the database, e.g. `openssl rand -hex 32`",
                id="motcua.E002",
            )
        )
    if settings.PRODUCTION and not (settings.MOTCUA_SIGNING_KEY and settings.MOTCUA_SIGNING_CERT):
        errors.append(
            Error(
                "MOTCUA_SIGNING_KEY and MOTCUA_SIGNING_CERT must name the unit's signing key and certificate "
                "when MOTCUA_ENV=production (the demo CA is never used there)",
                id="motcua.E004",
            )
        )
    if settings.PRODUCTION and settings.MOTCUA_DEMO_PHONE:
        errors.append(
            Error("MOTCUA_DEMO_PHONE shows one-time codes on screen: never in production", id="motcua.E003")
        )
    return errors


@register(Tags.security)
def motcua_settings(app_configs: object, **kwargs: object) -> list:
    found: list = production_errors()
    if settings.PRODUCTION and settings.MOTCUA_OUTBOX_VIEWER:
        found.append(
            Warning(
                "MOTCUA_OUTBOX_VIEWER is on in production (a demo and diagnostic page; bodies are masked)",
                id="motcua.W001",
            )
        )
    return found
