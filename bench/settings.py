"""Settings for the bench's own in-process work: the portal's settings, plus the bench's email
template and the test client's host. The served portal itself runs on iomuk.settings."""

from iomuk.settings import *  # noqa: F403
from iomuk.settings import ALLOWED_HOSTS, BASE_DIR, TEMPLATES

TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
