"""What makes a FIELD_ENCRYPTION_KEY strong enough for production.

Imported by the settings, so it imports nothing of Django's or the portal's; the deployment
check is in iomuk/checks.py."""

import base64

# A passphrase is stretched with scrypt (about 0.1 s a guess, iomuk/fields.py), but stretching
# cannot save ' ' or 'a'. 32 characters of a random password generator are far out of reach;
# a Fernet key (256 random bits) is better still and is what the README asks for.
MIN_PASSPHRASE_LENGTH = 32
KEY_RULE = (
    "FIELD_ENCRYPTION_KEY must be a Fernet key (44 characters, see README) or a passphrase of "
    f"at least {MIN_PASSPHRASE_LENGTH} characters."
)


def is_fernet_key(key: str) -> bool:
    try:
        return len(key) == 44 and len(base64.urlsafe_b64decode(key)) == 32
    except ValueError:
        return False


def is_strong_key(key: str) -> bool:
    return is_fernet_key(key) or len(key.strip()) >= MIN_PASSPHRASE_LENGTH
