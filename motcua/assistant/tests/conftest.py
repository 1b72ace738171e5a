"""Assistant test fixtures: the real catalog, the demo guide entries, fresh caches, ward A's queue."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from motcua.assistant.index import clear_cache as clear_assistant
from motcua.catalog.search import clear_cache as clear_catalog


@pytest.fixture(autouse=True)
def _fresh(settings):
    cache.clear()
    clear_assistant()
    clear_catalog()
    settings.ASSISTANT_UNIT_CODE = "26758"
    yield
    clear_assistant()
    clear_catalog()


@pytest.fixture
def knowledge(ward_a):
    """The 83 real procedures, the demo's guide entries and feedback categories."""
    from motcua.assistant.demo import seed_guide
    from motcua.catalog import demo
    from motcua.feedback.demo import seed_categories

    demo.seed()  # the 83 real procedures as `make demo` holds them
    seed_guide()
    seed_categories()
