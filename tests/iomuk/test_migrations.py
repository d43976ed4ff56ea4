"""The models and their migrations agree: a change to a model always ships with its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_its_migration():
    # Exits with status 1 (failing the test) if makemigrations would write anything.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
