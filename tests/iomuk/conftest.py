import pytest
from django.contrib.auth.models import Group

from iomuk import roles
from iomuk.models import User

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def coordinator(db):
    """A training coordinator who signs in with PASSWORD (and no second factor yet)."""
    user = User.objects.create_user("coord", email="coord@iom-uk.example", password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.TRAINING_COORDINATORS))
    return user
