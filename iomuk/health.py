"""What /healthz reports, and the staff dashboard shows: each part's state, and what is off."""

from django.core.cache import cache
from django.db import connection

from .celery import app as celery_app

CACHE_DOWN = "cache down: per-address limits on the public forms are off"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "down"
        return "down"
    return "ok"


def check_cache() -> str:
    try:
        cache.set("healthz", "1", 5)
        return "ok" if cache.get("healthz") == "1" else "down"
    except Exception:  # noqa: BLE001
        return "down"


def check_broker() -> str:
    if celery_app.conf.task_always_eager:
        return "eager"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001
        return "down"
    return "ok"


def degraded(*, cache_state: str) -> list[str]:
    """What still works but less safely: without the cache the forms stay open, unlimited."""
    return [CACHE_DOWN] if cache_state != "ok" else []
