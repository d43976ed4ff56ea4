"""Errors that belong to no field are said once, in the page's error summary."""

from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_every_page_with_a_crispy_form_has_the_error_summary():
    # templates/bootstrap5/errors.html leaves a form's non-field errors to the summary; a page
    # drawing a whole form with crispy and no summary would not show them at all.
    missing = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if ("|crispy" in (text := path.read_text()) or "{% crispy " in text)
        and "includes/error_summary.html" not in text
    ]
    assert missing == []
