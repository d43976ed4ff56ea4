"""The accessibility check the journeys rely on finds what it is there to find."""

import pytest

# A page with three faults a reader would meet: a picture with no words for a screen reader,
# pale grey text on white, and a field with no label.
FAULTY_PAGE = """<!doctype html>
<html lang="en"><head><title>Faulty</title></head>
<body><main><h1>Book a session</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#ccc;background:#fff">Seats left: 3</p>
<input type="text" name="email">
<input type="text" name="phone">
</main></body></html>"""


def test_it_fails_a_page_with_faults_and_names_each_on_every_element(page, assert_accessible):
    page.set_content(FAULTY_PAGE)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    report = str(failure.value)
    for rule in ("image-alt", "color-contrast", "label"):
        assert rule in report
    # Both unlabelled fields are named, not only the first (only passes are cut short).
    assert 'name="email"' in report and 'name="phone"' in report
