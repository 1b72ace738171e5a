"""Typed readers for settings taken from the environment (the Paperless-ngx way).

The only module that reads `os.environ` for settings: `motcua/settings.py` declares every setting through
these readers, and the code reads `django.conf.settings.X` (no `getattr(settings, X, default)`).
"""

import json
import os
from typing import Any


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return float(value)


def env_json(name: str, default: Any) -> Any:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return json.loads(value)


def env_is_set(name: str) -> bool:
    """Whether the variable is set (non-empty): an explicit choice the demo runner must not override."""
    return bool(os.environ.get(name, "").strip())


def environ_with(overrides: dict[str, str]) -> dict[str, str]:
    """The process environment with `overrides` applied: the environment of a child process."""
    return {**os.environ, **overrides}
