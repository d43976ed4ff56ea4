"""Search words kept out of addresses.

A search by a person's name or a reference is sent by POST. Its words are kept in the
searcher's own session under a short random key, and the list is shown at an address that
carries only that key (`?s=...`) and the filters that name nobody (stage, country, page). A name
then never reaches the address bar, the browser's history, a bookmark, nginx's or gunicorn's
access log, or the Referer sent with the next click. A key is good only in the session that made
it, on the page that made it, while that session lasts; each session keeps its newest few.
"""

import secrets
from dataclasses import dataclass

from django.http import HttpResponseRedirect, QueryDict
from django.urls import reverse

# The query parameter that carries the key.
KEY = "s"
SESSION_KEY = "kept_searches"
# Enough for the tabs one person has open; the oldest is forgotten first.
MOST_KEPT = 20


def search_keep(session, *, page: str, words: dict[str, str]) -> str:
    """Keeps a search's words in this session for one page; returns the key that finds them."""
    kept = dict(session.get(SESSION_KEY, {}))
    while len(kept) >= MOST_KEPT:
        kept.pop(next(iter(kept)))  # the session's JSON keeps the order they were added in
    key = secrets.token_urlsafe(12)
    kept[key] = {"page": page, "words": words}
    session[SESSION_KEY] = kept
    return key


def search_words(session, *, page: str, key: str) -> dict[str, str] | None:
    """The words kept under `key` for this page in this session; None for a key this session
    did not make (another person's, or one forgotten) or made on another page."""
    entry = session.get(SESSION_KEY, {}).get(key) if isinstance(key, str) else None
    if not isinstance(entry, dict) or entry.get("page") != page:
        return None
    return dict(entry.get("words", {}))


def search_address(path: str, *, key: str = "", filters: dict | None = None) -> str:
    """`path` with the key and the filters that name nobody; empty filters are left out."""
    query = QueryDict(mutable=True)
    if key:
        query[KEY] = key
    for name, value in (filters or {}).items():
        if value not in ("", None):
            query[name] = value
    return f"{path}?{query.urlencode()}" if query else path


@dataclass
class SearchRead:
    """What a list reads from a GET: `data` for its filter form (the kept words put back),
    `query` for its paging links (the key and the filters, no page), and what was not used."""

    data: QueryDict
    query: str
    forgotten: bool  # a key this session does not know: another person's, or one forgotten
    words_in_address: bool  # search words sent in the address itself, which are never read


def search_read(request, *, page: str, personal: tuple[str, ...]) -> SearchRead:
    """The search a list's address points to: its filters, with the words kept under its key."""
    data = request.GET.copy()
    words_in_address = any(data.get(name, "").strip() for name in personal)
    for name in (*personal, "page"):
        data.pop(name, None)
    key = data.pop(KEY, [""])[-1]
    forgotten = False
    if key:
        words = search_words(request.session, page=page, key=key)
        if words is None:
            forgotten, key = True, ""
        else:
            for name in personal:
                data[name] = words.get(name, "")
    filters = {name: value for name, value in data.items() if name not in personal}
    query = search_address("", key=key, filters=filters).lstrip("?")
    return SearchRead(data, query, forgotten, words_in_address)


def search_made(request, form, *, page: str, personal: tuple[str, ...]) -> HttpResponseRedirect:
    """The 303 to the list after a valid search sent by POST: the words typed (as typed) kept in
    the session, the address carrying only their key and the other filters."""
    words = {name: form.data.get(name, "") for name in personal if form.data.get(name, "").strip()}
    key = search_keep(request.session, page=page, words=words) if words else ""
    filters = {name: form.data.get(name) for name in form.fields if name not in personal}
    response = HttpResponseRedirect(search_address(reverse(page), key=key, filters=filters))
    response.status_code = 303  # See Other: the list is fetched by GET, never sent again
    return response
