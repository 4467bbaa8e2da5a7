import pytest
from django.core.cache import cache

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # The login throttle and dashboard caches must not leak between tests.
    cache.clear()
    yield
    cache.clear()
