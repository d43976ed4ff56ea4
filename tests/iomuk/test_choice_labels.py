"""Choice labels looked up once per field say what Django's own lookup says (issue 30)."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from iomuk.choice_labels import ChoiceLabels
from training.models import Session

MODELS = [model for model in apps.get_models() if issubclass(model, ChoiceLabels)]


def test_the_models_drawn_on_public_pages_look_their_labels_up():
    names = {model.__name__ for model in MODELS}
    assert {"Session", "Audience", "AccreditationDecision", "Complaint", "ReturnCase"} <= names


@pytest.mark.parametrize("language", ["en-gb", "ro", "bg"])
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_label_is_djangos_in_the_readers_language(model, language):
    fields = [field for field in model._meta.concrete_fields if field.choices]
    assert fields, model
    with translation.override(language):
        for field in fields:
            for value in [value for value, _label in field.flatchoices] + ["not-a-choice", None]:
                instance = model()
                setattr(instance, field.attname, value)
                shown = getattr(instance, f"get_{field.name}_display")()
                assert shown == models.Model._get_FIELD_display(instance, field), (field, value)
                assert type(shown) is type(models.Model._get_FIELD_display(instance, field))


def test_a_label_follows_the_language_it_is_drawn_in():
    session = Session(format="in_person")
    with translation.override("ro"):
        assert session.get_format_display() == "Cu prezență fizică"
    with translation.override("en-gb"):
        assert session.get_format_display() == "In person"
