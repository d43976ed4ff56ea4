"""Many people at once, each from their own loopback address, through a page's real form.

Every person first opens the page (a GET, which gives the CSRF cookie, the signed start time of
the bot check and the form), waits as a person would, then all send the form at the same moment.
Each person speaks from its own address in 127.0.0.0/8, so the per-address limits see 500 people,
not one address sending 500 forms.
"""

import http.client
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

from .forms import Form, forms_in

HONEYPOT = "homepage"  # iomuk.forms.HumanCheckForm: the field a person never sees or fills


@dataclass
class Person:
    number: int
    address: str
    cookies: dict[str, str] = field(default_factory=dict)
    form: Form | None = None
    status: int = 0
    error: str = ""
    location: str = ""
    sent_at: float = 0.0
    answered_at: float = 0.0


def address_of(number: int) -> str:
    """127.0.1.1, 127.0.1.2, … : a loopback address of its own for each person."""
    return f"127.0.{1 + number // 250}.{1 + number % 250}"


def _request(
    person: Person, host: str, port: int, method: str, path: str, body=None, timeout: float = 120
) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(
        host, port, timeout=timeout, source_address=(person.address, 0)
    )
    headers = {"Host": f"{host}:{port}", "User-Agent": "iomuk-bench"}
    if person.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in person.cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://{host}:{port}{path}"
        headers["Origin"] = f"http://{host}:{port}"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                person.cookies[key] = morsel.value
        return response.status, dict(response.headers), data
    finally:
        conn.close()


def fill(form: Form, number: int) -> dict[str, str]:
    """Answer a form as person `number` would: hidden fields kept, honeypot left empty."""
    data: dict[str, str] = {}
    for f in form.fields:
        name = f.name.lower()
        if f.kind in ("submit", "button", "image", "reset", "file"):
            continue
        if name == HONEYPOT:  # the hidden field people never see
            data[f.name] = ""
        elif f.kind == "hidden":
            data[f.name] = f.value
        elif f.kind == "checkbox":
            data[f.name] = f.value or "on"
        elif f.kind == "radio":
            data.setdefault(f.name, f.value)
        elif f.kind == "select":
            options = [o for o in f.options if o]
            data[f.name] = f.value or (options[0] if options else "")
        elif f.kind == "email" or "email" in name:
            data[f.name] = f"rush{number:04d}@bench.example"
        elif f.kind == "number":
            data[f.name] = f.value or "1"
        elif "phone" in name or f.kind == "tel":
            data[f.name] = f"07700 9{number:05d}"
        elif "name" in name:
            data[f.name] = f"Rush Person {number:04d}"
        elif "organisation" in name or "organization" in name:
            data[f.name] = "Bench Borough Council"
        else:
            data[f.name] = f.value or "Bench"
    return data


def rush(
    base_url: str, page_path: str, *, people: int, pick_form, wait_s: float, overrides=None
) -> dict:
    """GET the page as each person, wait `wait_s`, then POST every form at once."""
    split = urlsplit(base_url)
    assert split.hostname == "127.0.0.1", "load is aimed at loopback only"
    host, port = split.hostname, split.port
    crowd = [Person(n, address_of(n)) for n in range(people)]

    def open_page(person: Person) -> None:
        try:
            status, _, body = _request(person, host, port, "GET", page_path)
            if status != 200:
                person.error = f"GET answered {status}"
                return
            person.form = pick_form(forms_in(body.decode("utf-8", "replace")))
            if person.form is None:
                person.error = "no booking form on the page"
        except OSError as exc:
            person.error = f"GET failed: {exc!r}"

    with ThreadPoolExecutor(max_workers=25) as pool:
        list(pool.map(open_page, crowd))
    ready = [p for p in crowd if p.form is not None]
    if not ready:
        raise RuntimeError(crowd[0].error or "nobody could open the page")
    time.sleep(wait_s)

    barrier = threading.Barrier(len(ready))

    def send(person: Person) -> None:
        data = fill(person.form, person.number)
        if overrides:
            data.update(overrides(person.number))
        action = urljoin(page_path, person.form.action or page_path)
        body = urlencode(data)
        barrier.wait()
        person.sent_at = time.monotonic()
        try:
            status, headers, _ = _request(person, host, port, "POST", action, body=body)
            person.status = status
            person.location = headers.get("Location", "")
        except OSError as exc:
            person.error = f"POST failed: {exc!r}"
        person.answered_at = time.monotonic()

    threads = [threading.Thread(target=send, args=(p,)) for p in ready]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent = [p for p in ready if p.sent_at]
    first = min(p.sent_at for p in sent)
    last = max(p.answered_at for p in sent)
    latencies = sorted((p.answered_at - p.sent_at) * 1000 for p in sent if p.status)
    statuses: dict[int, int] = {}
    for p in crowd:
        statuses[p.status] = statuses.get(p.status, 0) + 1
    return {
        "people": people,
        "opened": len(ready),
        "statuses": statuses,
        "errors": [p.error for p in crowd if p.error][:5],
        "error_count": sum(1 for p in crowd if p.error),
        "wall_s": round(last - first, 3),
        "per_s": round(len(sent) / (last - first), 1) if last > first else 0.0,
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
        "crowd": crowd,
    }
