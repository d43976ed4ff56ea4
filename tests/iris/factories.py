from datetime import timedelta

import factory
from django.utils import timezone

from iris.complaints.services import tracking_code_hash
from iris.models import AccreditationState, Application, Complaint, Country, Recruiter, Sector
from iris.recruiters.roster import roster_index


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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A recruiter made as a bulk load makes it (no service, no history of decisions), and
        # put in the roster's search as a bulk load puts it.
        recruiter = model_class(*args, **kwargs)
        recruiter.search_name = recruiter.compute_search_name()
        recruiter.save()
        roster_index(recruiter_ids=[recruiter.pk])
        return recruiter

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)
            roster_index(recruiter_ids=[self.pk])


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
