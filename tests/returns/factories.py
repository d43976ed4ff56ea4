from datetime import date, timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from iomuk.models import User
from returns.models import (
    CaseNote,
    CaseTransition,
    ReturnCase,
    ReturnPlanItem,
    Stage,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@iom-uk.example")
    is_staff = True

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if extracted:
            obj.groups.add(Group.objects.get(name=extracted))


class ReturnCaseFactory(DjangoModelFactory):
    class Meta:
        model = ReturnCase

    reference = factory.Sequence(lambda n: f"RR-2025-{n + 1:04d}")
    stage = Stage.REFERRED
    referred_by = factory.SubFactory(UserFactory, is_staff=False)
    assigned_caseworker = None
    referrer_type = "charity"
    referrer_name = "Alex Referrer"
    referrer_organisation = "Hope Charity"
    referrer_contact = "020 7946 0000"
    full_name = factory.Sequence(lambda n: f"Maria Testperson{n}")
    preferred_name = "Maria"
    date_of_birth = date(1990, 5, 17)
    gender = "female"
    nationality = "Romanian"
    languages = "Romanian"
    interpreter_needed = True
    safe_contact_details = "Via keyworker, 07700 900123"
    safe_times_to_call = "Mornings"
    country = "RO"
    destination_town = "Iași"
    consent_to_return = True
    consent_to_share = True
    consent_partners = "IOM Romania"
    consent_method = "written"
    consent_given_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    consent_wording = "I agree to return."
    nrm_status = "unknown"
    risk = "medium"
    safeguarding_notes = "Secret safeguarding detail"
    travel_document = "passport"
    health_notes = "Secret health detail"


class CaseTransitionFactory(DjangoModelFactory):
    class Meta:
        model = CaseTransition

    case = factory.SubFactory(ReturnCaseFactory)
    from_stage = ""
    to_stage = Stage.REFERRED
    by = factory.SelfAttribute("case.referred_by")
    reason = "Referral received"


class ReturnPlanItemFactory(DjangoModelFactory):
    class Meta:
        model = ReturnPlanItem

    case = factory.SubFactory(ReturnCaseFactory)
    service = "flight"


class CaseNoteFactory(DjangoModelFactory):
    class Meta:
        model = CaseNote

    case = factory.SubFactory(ReturnCaseFactory)
    author = factory.SubFactory(UserFactory)
    text = "Secret note text"
