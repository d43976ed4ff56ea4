"""System checks of the portal's own settings (`manage.py check --deploy` runs them)."""

from django.conf import settings
from django.core import checks

from .keys import KEY_RULE, is_strong_key


@checks.register(checks.Tags.security, deploy=True)
def check_field_encryption_keys(app_configs=None, **kwargs):
    """The key that encrypts must be strong; an older key, kept only so `reencrypt` can move
    its data to the new one, is a warning until it is removed."""
    keys = settings.FIELD_ENCRYPTION_KEYS
    found = []
    if keys and not is_strong_key(keys[0]):
        found.append(checks.Error(KEY_RULE, id="iomuk.E001"))
    if any(not is_strong_key(key) for key in keys[1:]):
        found.append(
            checks.Warning(
                "An older FIELD_ENCRYPTION_KEY is weak: run `manage.py reencrypt`, then remove it.",
                id="iomuk.W001",
            )
        )
    return found
