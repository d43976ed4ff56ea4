from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import roles
from .celery import app as celery_app


def home(request):
    return render(request, "iomuk/home.html")


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "down"
        return "down"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("healthz", "1", 5)
        return "ok" if cache.get("healthz") == "1" else "down"
    except Exception:  # noqa: BLE001
        return "down"


def _check_broker() -> str:
    if celery_app.conf.task_always_eager:
        return "eager"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001
        return "down"
    return "ok"


@never_cache
def healthz(request):
    """Liveness without `?checks`; readiness (database, cache, broker) by default."""
    if request.GET.get("checks") == "none":
        return JsonResponse({"status": "ok"})
    checks = {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
    ready = checks["database"] == "ok" and checks["broker"] in ("ok", "eager")
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


@login_required
@permission_required("iomuk.view_staff_workspace", raise_exception=True)
def staff_dashboard(request):
    user_roles = [role for role in roles.ALL if role in {g.name for g in request.user.groups.all()}]
    return render(request, "iomuk/staff_dashboard.html", {"user_roles": user_roles})
