from datetime import timedelta

import factory
from django.utils import timezone

from iris.complaints.services import tracking_code_hash
from iris.models import AccreditationState, Application, Complaint, Country, Recruiter, Sector


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def sector(code: str) -> Sector:
    return Sector.objects.get(code=code)


class RecruiterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recruiter
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Fair Work Recruiter {n} Ltd")
    slug = factory.Sequence(lambda n: f"fair-work-recruiter-{n}")
    hq_country = factory.LazyFunction(lambda: country("GB"))
    state = AccreditationState.ACCREDITED
    accreditation_number = factory.Sequence(lambda n: f"IRIS-A-{900000 + n:06d}")
    granted_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=300))

    class Params:
        applicant = factory.Trait(
            state=AccreditationState.APPLICANT,
            accreditation_number=None,
            granted_on=None,
            valid_until=None,
        )
        lapsed = factory.Trait(
            granted_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400)),
            valid_until=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1)),
        )

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    organisation_name = factory.Sequence(lambda n: f"Applicant Organisation {n}")
    organisation_type = Application.OrgType.RECRUITER
    hq_country = factory.LazyFunction(lambda: country("RO"))
    contact_name = "Ana Popescu"
    contact_email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    commits_to_code = True
    language = "ro"


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    reference = factory.Sequence(lambda n: f"IRIS-C-T{n:05d}")
    tracking_code_hash = factory.LazyFunction(lambda: tracking_code_hash("ABCD-EFGH-JKMN"))
    recruiter = factory.SubFactory(RecruiterFactory)
    description = "They kept my passport."
    name = "Maria Ionescu"
    email = "maria@example.org"
    preferred_language = "ro"
    consent_to_referral = True
