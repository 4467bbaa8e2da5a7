import pytest
from django.conf import settings
from django.core.cache import cache

pytest_plugins = ["tests.browser", "tests.services"]

# Before anything hashes a password (tests/factories.py hashes the shared one at import).
settings.PASSWORD_HASHERS = ["tests.hashers.QuickPBKDF2PasswordHasher"]


def _commit_without_waiting_for_the_disk():
    """A test database need not survive a crash: on PostgreSQL, commits (transactional tests,
    flushes, live servers) do not wait for the WAL to reach the disk."""
    from django.db import connections

    for settings_dict in (settings.DATABASES["default"], connections["default"].settings_dict):
        if settings_dict["ENGINE"].endswith("postgresql"):
            settings_dict.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


_commit_without_waiting_for_the_disk()

_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _clear_cache():
    # The login throttle and dashboard caches must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _email_at_once(settings):
    # Emails go out from the task worker in production; tests read mail.outbox at once
    # (tests/assessment/test_email_task.py covers the task path).
    settings.EMAIL_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data (regions, industries, targets), which a migration loads, is back after a
    transactional test's flush."""
    if not (
        request.node.get_closest_marker("django_db") or _DB_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("django_db_setup")  # never touch anything but the test database
    from assessment.models import Industry, Region, Target
    from assessment.reference_data import load_reference_data

    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        if not Region.objects.exists():
            load_reference_data(Region, Industry, Target)


@pytest.fixture(autouse=True)
def _audit_triggers_and_flush(request):
    """On PostgreSQL the audit tables refuse TRUNCATE (assessment/security/triggers.py); a
    transactional test's flush says it is purging them, and nothing else does."""
    transactional = bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (
            request.node.get_closest_marker("django_db")
            and request.node.get_closest_marker("django_db").kwargs.get("transaction")
        )
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET pma.audit_purge")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET pma.audit_purge = 'on'")
