"""Catalog test fixtures."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from motcua.catalog import services
from motcua.catalog.search import clear_cache


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Throttle counters and the in-memory search index must not leak between tests."""
    cache.clear()
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def imported(db):
    """The 83 real procedures from the bundled national portal file."""
    services.import_file()


@pytest.fixture
def make_procedure(db):
    def make(code="9.000001", name="Thủ tục thử nghiệm", times=None, **extra):
        snap = {
            "code": code,
            "name": name,
            "field": extra.pop("field", "Hộ tịch"),
            "times": times if times is not None else [["counter", "3.00", "working_days", ""]],
            **extra,
        }
        procedure, _outcome = services.apply_procedure_snapshot(snap, actor="test", source="test")
        return procedure

    return make
