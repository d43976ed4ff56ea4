"""The settings refuse insecure defaults and pass Django's deployment checks."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "a-real-secret-key-for-the-check-0123456789",
    "ALLOWED_HOSTS": "portal.example.org",
    "FIELD_ENCRYPTION_KEY": "a-real-field-passphrase-of-32-characters-or-more",
}


def _manage(*args, **env):
    # The test run relaxes HTTPS for loopback; the deployment check must see the real defaults.
    relaxed = {*PRODUCTION, "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in relaxed}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_it_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = _manage("check", **env)
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_it_refuses_to_start_without_the_encryption_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "FIELD_ENCRYPTION_KEY"}
    result = _manage("check", **env)
    assert "Set FIELD_ENCRYPTION_KEY" in result.stderr


def test_a_trivial_encryption_key_is_refused_in_production():
    for key in (" ", "a", "x" * 31):
        result = _manage("check", **{**PRODUCTION, "FIELD_ENCRYPTION_KEY": key})
        assert result.returncode != 0, key
        assert "FIELD_ENCRYPTION_KEY must be a Fernet key" in result.stderr, key


def test_a_fernet_key_or_a_long_passphrase_is_accepted():
    fernet_key = "zS7c8TTgdTpIXTqK81wdVTxmN3yqvSWZ6nqTTr2KoMU="
    for key in (fernet_key, "x" * 32):
        result = _manage("check", "--deploy", **{**PRODUCTION, "FIELD_ENCRYPTION_KEY": key})
        assert result.returncode == 0, result.stderr


def test_check_deploy_reports_a_weak_encryption_key():
    # With DEBUG on the portal starts on any key; the deployment check still says no.
    result = _manage(
        "check", "--deploy", **{**PRODUCTION, "DEBUG": "true", "FIELD_ENCRYPTION_KEY": "a"}
    )
    assert result.returncode != 0
    assert "(iomuk.E001) FIELD_ENCRYPTION_KEY must be a Fernet key" in result.stderr


def test_check_deploy_warns_of_a_weak_older_key_until_it_is_removed():
    keys = f"{PRODUCTION['FIELD_ENCRYPTION_KEY']},old-weak-key"
    result = _manage("check", "--deploy", **{**PRODUCTION, "FIELD_ENCRYPTION_KEY": keys})
    assert result.returncode == 0, result.stderr  # it starts, so `reencrypt` can run
    assert "(iomuk.W001)" in result.stderr


def test_the_embedded_defaults_need_nothing_running():
    env = {"DEBUG": "true"}
    result = _manage("check", **env)
    assert result.returncode == 0, result.stderr
