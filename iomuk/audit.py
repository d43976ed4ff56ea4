"""The access log: every view and change of protected personal data is written here."""

from django.http import HttpRequest

from .client import client_address
from .models import AccessLog


def access_record(
    *,
    request: HttpRequest | None,
    action: str,
    object_type: str,
    object_ref: str,
    detail: str = "",
    user=None,
) -> AccessLog:
    """Append who did `action` to which record (by reference, never name), when, from where.

    `user` names who did it when a service writes the record with no request at hand (or one
    whose user is not the actor); otherwise it is the request's.
    """
    user = user if user is not None else getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return AccessLog.objects.create(
        user=user if signed_in else None,
        username=user.get_username() if signed_in else "",
        action=action,
        object_type=object_type,
        object_ref=object_ref,
        detail=detail[:200],
        ip=(client_address(request) or None) if request is not None else None,
    )


def access_history(*, object_type: str, object_ref: str):
    return AccessLog.objects.filter(object_type=object_type, object_ref=object_ref).select_related(
        "user"
    )
