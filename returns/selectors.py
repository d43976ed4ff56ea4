"""Reads of return cases. Every page, search, download and the admin start from these,
so a case a user may not see is absent everywhere alike: lists, counts, search and 404s."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from iomuk import roles

from .models import ReturnCase


def cases_visible_to(user: User) -> QuerySet[ReturnCase]:
    """Case managers see every case; caseworkers their own and the unassigned intake queue."""
    cases = ReturnCase.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.has_perm("returns.view_all_cases"):
        return cases
    if user.has_perm("returns.view_returncase"):
        return cases.filter(Q(assigned_caseworker=user) | Q(assigned_caseworker__isnull=True))
    return cases.none()


def referrals_made_by(user: User) -> QuerySet[ReturnCase]:
    """What a referrer may know of their own referrals: reference, country and stage only."""
    if not user.is_authenticated:
        return ReturnCase.objects.none()
    return (
        ReturnCase.objects.filter(referred_by=user)
        .order_by("-created_at")
        .only("reference", "country", "stage", "created_at")
    )


def caseworkers_assignable() -> QuerySet[User]:
    """People a case may be given to: active members of the caseworker and case manager roles."""
    return (
        User.objects.filter(
            is_active=True, groups__name__in=[roles.CASEWORKERS, roles.CASE_MANAGERS]
        )
        .distinct()
        .order_by("username")
    )
