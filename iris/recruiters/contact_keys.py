"""A contact, written any way a person writes it, as one comparable key.

Phone numbers become E.164 through `phonenumbers` ("+40 721 000 111", "0040721000111" and
"0721 000 111" read in Romania are one key); web addresses and email domains become their
registrable domain by the Public Suffix List bundled in `publicsuffixlist` (no fetch at run
time), so `jobs.agency-x.ro` is `agency-x.ro` and `agency-x.ro.example.com` is not. An address
at a mail service anyone may join is kept whole: a Gmail address names one person, not Gmail.
A social page is its site and the page's name; a named agent, their name without accents or
case. Each key starts with its kind, so the check is one look-up on one indexed column.
"""

import re
from urllib.parse import parse_qs, urlsplit

import phonenumbers
from publicsuffixlist import PublicSuffixList

from .text import normalise_name

_PSL = PublicSuffixList()  # the list bundled with the pinned package: nothing is fetched

PHONE, WEB, EMAIL, SOCIAL, AGENT = "phone", "web", "email", "social", "agent"
KINDS = (PHONE, WEB, EMAIL, SOCIAL, AGENT)

# The regions a number written the local way is read in: the four return countries and the UK.
REGIONS = ("BG", "CZ", "HU", "RO", "GB")
# The region each of the portal's languages suggests for a number written the local way.
LANGUAGE_REGIONS = {"bg": "BG", "cs": "CZ", "hu": "HU", "ro": "RO", "en-gb": "GB", "en": "GB"}

# Mail services anyone may open an address at: the whole address is the contact.
SHARED_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.ro",
        "ymail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "mail.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "abv.bg",
        "dir.bg",
        "mail.bg",
        "seznam.cz",
        "email.cz",
        "centrum.cz",
        "post.cz",
        "freemail.hu",
        "citromail.hu",
        "gmail.hu",
        "yahoo.hu",
    ]
)
# Sites whose pages belong to whoever opened them: the page, not the site, is the contact.
SOCIAL_SITES = {
    "facebook.com": "facebook.com",
    "fb.com": "facebook.com",
    "fb.me": "facebook.com",
    "instagram.com": "instagram.com",
    "tiktok.com": "tiktok.com",
    "linkedin.com": "linkedin.com",
    "x.com": "x.com",
    "twitter.com": "x.com",
    "youtube.com": "youtube.com",
    "t.me": "t.me",
    "telegram.me": "t.me",
    "vk.com": "vk.com",
    "viber.com": "viber.com",
}
# Links that open a chat with a phone number: the number is the contact.
CHAT_BY_NUMBER = frozenset({"wa.me", "api.whatsapp.com", "whatsapp.com"})

_EMAIL = re.compile(r"^[^@\s/]+@([^@\s/]+\.[^@\s/]+)$")
_PHONE_CHARS = re.compile(r"^[+()\d\s./-]+$")
_HOST_LIKE = re.compile(r"^[^\s/@]+\.[^\s/@]+(/|$)")
MAX_LENGTH = 200


def _host(host: str) -> str | None:
    """A host name in its ASCII (punycode) form, lower case, without a trailing dot."""
    host = host.strip().strip(".").lower()
    if not host or " " in host:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return host if "." in host else None


def registrable_domain(host: str) -> str | None:
    """The domain one registers (agency-x.ro for jobs.agency-x.ro), or None for a bare suffix."""
    ascii_host = _host(host)
    if ascii_host is None:
        return None
    return _PSL.privatesuffix(ascii_host)


def phone_key(text: str, region: str = "GB") -> str | None:
    """`phone:+40721000111` for a number a phone could dial, read in `region` when written the
    local way; None when it is not one."""
    if not text or len(text) > 40 or not _PHONE_CHARS.match(text.strip()):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) < 6:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return PHONE + ":" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _url(text: str):
    text = text.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        address = urlsplit(text)
        host = address.hostname or ""
    except ValueError:
        return None
    return address, host


def web_key(text: str, region: str = "GB") -> str | None:
    """The key of a web address or an email address: `web:<registrable domain>`, or for a page
    on a social site `social:<site>/<page>`, or for a chat link the number's phone key; an
    address at a shared mail service whole, `email:<address>`."""
    text = text.strip()
    if not text or len(text) > MAX_LENGTH or " " in text:
        return None
    if found := _EMAIL.match(text):
        local = text.rsplit("@", 1)[0].lower()
        domain = registrable_domain(found.group(1))
        if domain is None:
            return None
        if domain in SHARED_MAIL:
            return f"{EMAIL}:{local}@{domain}"
        return f"{WEB}:{domain}"
    parsed = _url(text)
    if parsed is None:
        return None
    address, host = parsed
    domain = registrable_domain(host)
    if domain is None:
        return None
    if domain in CHAT_BY_NUMBER or host in CHAT_BY_NUMBER:
        number = address.path.strip("/") or parse_qs(address.query).get("phone", [""])[0]
        return phone_key("+" + number.lstrip("+"), region) if number else None
    if domain in SOCIAL_SITES:
        page = _social_page(domain, address)
        return f"{SOCIAL}:{SOCIAL_SITES[domain]}/{page}" if page else None
    return f"{WEB}:{domain}"


def _social_page(domain: str, address) -> str:
    """The page's own name on a social site: `agencyx` for facebook.com/AgencyX/posts/1."""
    parts = [part for part in address.path.lower().split("/") if part]
    if not parts:
        return ""
    if parts[0] == "profile.php":
        return "id=" + parse_qs(address.query).get("id", [""])[0]
    # LinkedIn's and YouTube's pages are two deep: /company/agency-x, /c/agency-x.
    if parts[0] in {"company", "in", "school", "c", "channel", "user"} and len(parts) > 1:
        return f"{parts[0]}/{parts[1]}"
    return parts[0].lstrip("@")


def agent_key(text: str) -> str | None:
    """`agent:<name>`: a named agent's name without accents, case or extra spaces."""
    name = normalise_name(text or "")
    return f"{AGENT}:{name}" if name and len(text) <= MAX_LENGTH else None


def contact_key(kind: str, text: str, region: str = "GB") -> str | None:
    """The key of a contact an officer records as `kind`, or None when it is not one."""
    if kind == PHONE:
        return phone_key(text, region)
    if kind in (WEB, EMAIL, SOCIAL):
        # What the address is decides its key: a page recorded as a website, or a chat link
        # (wa.me/40…) recorded as a page, is still the same contact (see `kind_of`).
        return web_key(text, region)
    if kind == AGENT:
        return agent_key(text)
    raise ValueError(kind)


def contact_guess(text: str, region: str = "GB") -> str | None:
    """The key of whatever a person pasted (a number, an address, a page), or None when it reads
    as a name: the check then searches the named agents and offers the roster's search."""
    text = " ".join((text or "").split())
    if not text:
        return None
    if _PHONE_CHARS.match(text):
        return phone_key(text, region)
    if "@" in text or "://" in text or _HOST_LIKE.match(text):
        return web_key(text, region)
    return None


def kind_of(key: str) -> str:
    return key.split(":", 1)[0]
