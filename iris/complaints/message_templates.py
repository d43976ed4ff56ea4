"""Ready-made messages an IRIS officer sends a complainant, in the complainant's own language.

Each text is a gettext string: its translations live in the catalogue with the public pages', so
a complainant who chose Romanian reads the officer's "under review" message in Romanian.
"""

from django.utils import translation
from django.utils.translation import gettext_noop

from .models import Complaint

# One message for each common step, keyed by the stage it tells about.
MESSAGE_TEMPLATES = {
    Complaint.Stage.RECEIVED: gettext_noop(
        "We have received your report. An IRIS officer will read it. "
        "We will write to you here when there is news."
    ),
    Complaint.Stage.UNDER_REVIEW: gettext_noop(
        "An IRIS officer is now looking into your report. "
        "We will write to you here when there is news."
    ),
    Complaint.Stage.REFERRED: gettext_noop(
        "You agreed that we could pass your report on. We have now passed it to an authority "
        "that can act on it. We will write to you here when there is news."
    ),
    Complaint.Stage.RESOLVED: gettext_noop(
        "We have finished our work on your report. Thank you for telling us. "
        "If something new happens, make a new report and mention this reference."
    ),
}


def message_template_choices() -> list[tuple[str, str]]:
    """The templates as an officer picks them, by their English text (the stage's name alone
    would be read as the stage move beside it)."""
    return [(key, f"“{text}”") for key, text in MESSAGE_TEMPLATES.items()]


def message_template_render(*, template: str, language: str) -> str:
    """The template's text in `language`."""
    with translation.override(language):
        return translation.gettext(MESSAGE_TEMPLATES[template])
