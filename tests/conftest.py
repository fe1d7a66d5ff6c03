"""Shared fixtures. The real geography is imported once per test database, after migrations,
so every test runs against the official data (inside its own rolled-back transaction)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from trajectoires.accounts.models import User

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("geo", "import", verbosity=0)


@pytest.fixture(autouse=True, scope="session")
def _static_without_manifest():
    """Tests render templates without running collectstatic first."""
    with override_settings(STORAGES=PLAIN_STATIC):
        yield


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_inline():
    """Background tasks run as soon as they are enqueued (after the transaction commits)."""
    with override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    ):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language, whatever page in another language a test before it
    read on the same thread (the locale middleware leaves the last one active)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test land in its own temporary folder, never in the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user(
        "staff@example.org", "a long staff password", full_name="Sam Staff", is_staff=True
    )


@pytest.fixture
def member(db) -> User:
    return User.objects.create_user("member@example.org", "a long member password", full_name="Maël Member")
