"""The browser fixtures of tests/browser, for the language journey."""

from tests.browser.conftest import (  # noqa: F401
    _static_files_from_the_source,
    browser,
    page,
)
