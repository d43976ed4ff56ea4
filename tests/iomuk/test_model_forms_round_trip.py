"""Every model form, and every admin change page, survives a save with nothing changed.

A person opens a record, changes nothing (or one thing elsewhere on the page) and saves. The
record must come back exactly as it was. The forms are found, not listed: a new model form
without a case here fails `test_every_model_form_keeps_a_record_it_did_not_change`.

The page is read as a browser reads it, including what a browser does to a value it cannot
show: an `<input type="date">` whose value is not 2026-12-03 is sent back empty.
"""

import importlib
import pkgutil
import re
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import models
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from iomuk import roles
from iomuk.models import User
from returns.models import ReturnCase
from training.models import Session

PROJECT_APPS = ["training", "returns", "iris", "iomuk"]


# -- Reading a form as a browser sends it --------------------------------------------------


def _valid_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _valid_time(value: str) -> bool:
    return bool(re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?", value))


def _sanitised(kind: str, value: str) -> str:
    """The value sanitisation of the HTML standard: what the browser keeps of `value`."""
    if kind == "date":
        return value if _valid_date(value) else ""
    if kind == "time":
        return value if _valid_time(value) else ""
    if kind == "datetime-local":
        day, sep, clock = value.partition("T") if "T" in value else value.partition(" ")
        return f"{day}T{clock}" if sep and _valid_date(day) and _valid_time(clock) else ""
    if kind == "number":
        try:
            float(value)
        except ValueError:
            return ""
        return value if value.strip() == value and value.lower() not in ("nan", "inf") else ""
    if kind in ("text", "email", "tel", "search", "url", "password", "hidden"):
        return value.replace("\r", "").replace("\n", "") if kind != "hidden" else value
    return value


class _FormReader(HTMLParser):
    """The name/value pairs a browser sends for the form whose `action` ends with `action`."""

    def __init__(self, action: str | None, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.wanted_action = action
        self.wanted_id = form_id
        self.inside = False
        self.found = False
        self.pairs: list[tuple[str, str]] = []
        self._select = None  # (name, multiple, options, disabled)
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            matches = (
                self.wanted_action is None or (a.get("action") or "").endswith(self.wanted_action)
            ) and (self.wanted_id is None or a.get("id") == self.wanted_id)
            if matches and not self.found:
                self.inside = self.found = True
            return
        if not self.inside:
            return
        disabled = "disabled" in a
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if not name or disabled or kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value") or "on"))
                return
            self.pairs.append((name, _sanitised(kind, a.get("value") or "")))
        elif tag == "select":
            self._select = (a.get("name"), "multiple" in a, [], disabled)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select[2].append(self._option)
        elif tag == "textarea":
            self._textarea = [a.get("name"), disabled, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[2] += data
        elif self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options, disabled = self._select
            self._select = None
            if not name or disabled or not options:
                return
            values = [(o[0] if o[0] is not None else o[2].strip()) for o in options]
            chosen = [v for v, o in zip(values, options, strict=True) if o[1]]
            if not multiple and not chosen:
                chosen = values[:1]
            self.pairs.extend((name, value) for value in (chosen if multiple else chosen[-1:]))
        elif tag == "textarea" and self._textarea is not None:
            name, disabled, text = self._textarea
            self._textarea = None
            if name and not disabled:
                # The parser leaves in the newline that HTML drops after <textarea>.
                self.pairs.append((name, text[1:] if text.startswith("\n") else text))


def form_as_sent(
    html: str, action: str | None = None, *, form_id: str | None = None
) -> dict[str, list[str]]:
    reader = _FormReader(action, form_id)
    reader.feed(html)
    assert reader.found, f"no form posting to {action!r} on the page"
    data: dict[str, list[str]] = {}
    for name, value in reader.pairs:
        data.setdefault(name, []).append(value)
    return data


# -- What a record holds -------------------------------------------------------------------


def snapshot(obj: models.Model, skip=()) -> dict:
    """Every stored value of `obj`, many-to-many included, as read back from the database."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip or getattr(field, "auto_now", False):
            continue
        value = field.value_from_object(obj)
        if isinstance(value, datetime):
            # The admin shows times to the second; what a person can see is what must stay.
            value = value.replace(microsecond=0)
        values[field.name] = value
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(o.pk for o in getattr(obj, field.name).all())
    return values


def assert_unchanged(before: dict, after: dict) -> None:
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, f"changed by a save with nothing changed (before, after): {changed}"


def _form_value(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(v.pk if isinstance(v, models.Model) else v for v in value)
    return value


# -- The fully filled records --------------------------------------------------------------


def _person(username: str, role: str | None = None, **extra) -> User:
    user = User.objects.create_user(
        username, email=f"{username}@iom-uk.example", password="x", **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def filled_case(**extra) -> ReturnCase:
    from tests.returns.factories import ReturnCaseFactory

    today = timezone.localdate()
    return ReturnCaseFactory(
        referrer_organisation="Hope Charity",
        dependants_travelling=2,
        departure_airport="London Luton",
        earliest_travel_date=today + timedelta(days=40),
        escort_needed=True,
        fit_to_fly="needs_assessment",
        fitness_to_fly_notes="Needs a wheelchair at the airport",
        land_transport_needed=True,
        reintegration_notes="Wants to train as a baker",
        consent_given_on=today - timedelta(days=20),
        **extra,
    )


def filled_session():
    from tests.training.factories import SessionFactory

    # Whole minutes: the admin's time boxes, like a person, work to the minute.
    starts = (timezone.now() + timedelta(days=20)).replace(second=0, microsecond=0)
    return SessionFactory(
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        booking_deadline=starts - timedelta(days=1),
        online_link="",
    )


# -- A case for each model form ------------------------------------------------------------


def round_trip_case_update(client, form_class):
    """The "Change these details" form on the case page, saved as a caseworker sees it."""
    caseworker = _person("cw", roles.CASEWORKERS)
    case = filled_case(assigned_caseworker=caseworker)
    before = snapshot(case, skip={"version"})
    client.force_login(caseworker)
    page = client.get(reverse("returns:case-detail", args=[case.reference]))
    assert page.status_code == 200
    action = reverse("returns:case-update", args=[case.reference])
    response = client.post(action, form_as_sent(page.content.decode(), action))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert_unchanged(before, snapshot(case, skip={"version"}))


def round_trip_plan(client, form_class):
    """The return plan on the case page (a formset of these), saved as a caseworker sees it."""
    from returns.models import ReturnPlanItem

    caseworker = _person("cw", roles.CASEWORKERS)
    case = filled_case(assigned_caseworker=caseworker)
    items = [
        ReturnPlanItem.objects.create(
            case=case,
            service=service,
            status="in_progress",
            due_date=timezone.localdate() + timedelta(days=9),
            notes="Line one\r\nline two",
        )
        for service in ("flight", "shelter")
    ]
    before = [snapshot(item) for item in items]
    client.force_login(caseworker)
    page = client.get(reverse("returns:case-detail", args=[case.reference]))
    action = reverse("returns:plan-update", args=[case.reference])
    response = client.post(action, form_as_sent(page.content.decode(), action))
    assert response.status_code == 302, response.content.decode()[:3000]
    for old, item in zip(before, items, strict=True):
        assert_unchanged(old, snapshot(item))


def round_trip_session_admin(client, form_class):
    """SessionAdminForm is the admin's session page."""
    assert admin.site._registry[Session].form is form_class
    admin_round_trip(client, filled_session())


def round_trip_recruiter_admin(client, form_class):
    """RecruiterAdminForm is the admin's recruiter page (saved through the services)."""
    from iris.models import Recruiter
    from tests.iris.factories import RecruiterFactory

    assert admin.site._registry[Recruiter].form is form_class
    admin_round_trip(client, RecruiterFactory(website="https://fair.example"))


def create_only(make_record, typed: dict | None = None):
    """A form with no edit page: drawn from a filled record, sent back as the browser sends
    it (plus what the person `typed` that the record does not hold), read as that record."""

    def check(client, form_class):
        record = make_record()
        names = [n for n in form_class._meta.fields if n in form_class.base_fields]
        drawn = form_class(initial=model_to_dict(record, fields=names))
        data = form_as_sent(f"<form>{drawn}</form>")
        data.update({name: [v] if isinstance(v, str) else v for name, v in (typed or {}).items()})
        bound = form_class(data=MultiValueDict(data))
        assert bound.is_valid(), bound.errors.as_text()
        for name in names:
            field = record._meta.get_field(name)
            stored = getattr(record, name)
            if field.many_to_many:
                stored = list(stored.all())
            assert _form_value(bound.cleaned_data[name]) == _form_value(stored), name

    return check


def _booking():
    from tests.training.factories import BookingFactory

    return BookingFactory(requirements="Step-free access, please")


def _adapted_request():
    from tests.training.factories import AdaptedSessionRequestFactory

    return AdaptedSessionRequestFactory(phone="0113 496 0000")


def _complaint_message():
    from iris.models import ComplaintMessage
    from tests.iris.factories import ComplaintFactory

    return ComplaintMessage.objects.create(
        complaint=ComplaintFactory(),
        body="Mulțumim, ne uităm la raportul dumneavoastră.",
        language="ro",
        shared_with_complainant=True,
    )


def _application():
    from iris.models import Country, Sector
    from tests.iris.factories import ApplicationFactory

    application = ApplicationFactory(
        registration_number="J40/1234/2020",
        website="https://fair.example",
        contact_phone="+40 21 000 0000",
        about="We place care workers.",
    )
    application.origin_countries.set(Country.objects.filter(code__in=["RO", "BG"]))
    application.destination_countries.set(Country.objects.filter(code__in=["GB"]))
    application.sectors.set(Sector.objects.all()[:2])
    return application


ROUND_TRIPS = {
    "returns.forms.CaseUpdateForm": round_trip_case_update,
    "returns.forms.PlanItemForm": round_trip_plan,
    "returns.forms.ReferralForm": create_only(filled_case, {"services": ["shelter"]}),
    "training.forms.SessionAdminForm": round_trip_session_admin,
    "training.forms.BookingForm": create_only(_booking),
    "training.forms.AdaptedSessionRequestForm": create_only(_adapted_request),
    "iris.recruiters.forms.JoinForm": create_only(_application, {"commits_to_code": "on"}),
    "iris.complaints.admin.MessageInlineForm": create_only(_complaint_message),
    "iris.recruiters.admin.RecruiterAdminForm": round_trip_recruiter_admin,
}


# -- Finding the forms ---------------------------------------------------------------------


def _import_project_modules() -> None:
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_model_forms() -> dict[str, type[forms.ModelForm]]:
    _import_project_modules()
    found = {}
    for form in _subclasses(forms.ModelForm):
        if form.__module__.split(".")[0] in PROJECT_APPS:
            found[f"{form.__module__}.{form.__qualname__}"] = form
    return found


MODEL_FORMS = project_model_forms()


def test_the_forms_are_found():
    assert "returns.forms.CaseUpdateForm" in MODEL_FORMS
    assert "training.forms.SessionAdminForm" in MODEL_FORMS


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MODEL_FORMS))
def test_every_model_form_keeps_a_record_it_did_not_change(name, client):
    assert name in ROUND_TRIPS, f"{name} has no round trip here: add one to ROUND_TRIPS"
    ROUND_TRIPS[name](client, MODEL_FORMS[name])


# -- Every date and time picker speaks ISO, in every form ----------------------------------


def project_forms() -> list[type[forms.BaseForm]]:
    _import_project_modules()
    return [
        form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in PROJECT_APPS and hasattr(form, "base_fields")
    ]


PICKER_VALUES = {
    "date": (date(2026, 12, 3), "2026-12-03"),
    "time": (time(14, 30), "14:30"),
    "datetime-local": (datetime(2026, 12, 3, 14, 30), "2026-12-03T14:30"),
}


@pytest.mark.parametrize("language", ["en-gb", "ro", "bg", "cs", "hu"])
def test_every_date_and_time_picker_is_filled_as_the_browser_reads_it(language):
    from django.utils import translation

    pickers = []
    with translation.override(language):
        for form in project_forms():
            for name, field in form.base_fields.items():
                kind = getattr(field.widget, "input_type", "")
                if kind in PICKER_VALUES:
                    value, shown = PICKER_VALUES[kind]
                    pickers.append(name)
                    assert field.widget.format_value(value) == shown, f"{form.__name__}.{name}"
    assert {"earliest_travel_date", "due_date", "referred_on"} <= set(pickers)


# -- The return plan: a formset of model forms, saved by its service --------------------------


@pytest.mark.django_db
def test_a_plan_items_due_date_survives_saving_its_status(client):
    from returns.models import ReturnPlanItem

    caseworker = _person("cw", roles.CASEWORKERS)
    case = filled_case(assigned_caseworker=caseworker)
    item = ReturnPlanItem.objects.create(
        case=case, service="flight", due_date=timezone.localdate() + timedelta(days=10)
    )
    client.force_login(caseworker)
    action = reverse("returns:plan-update", args=[case.reference])
    page = client.get(reverse("returns:case-detail", args=[case.reference]))
    data = form_as_sent(page.content.decode(), action)
    assert data["plan-0-due_date"] == [str(item.due_date)], "the due date shows blank"
    data["plan-0-status"] = ["in_progress"]
    assert client.post(action, data).status_code == 302
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert item.due_date == timezone.localdate() + timedelta(days=10)


# -- The admin: every registered model's change page, saved unchanged ----------------------


def admin_round_trip(client, obj, *, skip=()) -> None:
    superuser = User.objects.filter(username="root").first() or _person(
        "root", is_staff=True, is_superuser=True
    )
    client.force_login(superuser)
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    before = snapshot(obj, skip=skip)
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    model_admin = admin.site._registry[type(obj)]
    request = page.wsgi_request
    request.user = superuser
    data = form_as_sent(page.content.decode(), form_id=f"{opts.model_name}_form")
    response = client.post(url, data)
    if model_admin.has_change_permission(request, obj):
        errors = response.context.get("errors") if response.context else None
        assert response.status_code == 302, f"{url} refused an unchanged save: {errors}"
    else:
        assert response.status_code in (302, 403), response.status_code
    assert_unchanged(before, snapshot(obj, skip=skip))


def _api_key():
    from iris.recruiters.services import api_key_issue

    return api_key_issue(name="Demo Partner NGO")[0]


def _admin_records() -> dict[str, callable]:
    from tests.iris.factories import ComplaintFactory, RecruiterFactory
    from tests.training.factories import AdaptedSessionRequestFactory, BookingFactory

    def certificate():
        from training.models import Certificate

        booking = BookingFactory(attended=True)
        return Certificate.objects.create(booking=booking, code="CPD-TEST-0001")

    def outbox():
        from iomuk.models import OutboxMessage

        return OutboxMessage.objects.create(to="a@example.org", template="x", subject="Hello")

    def access_log():
        from iomuk.models import AccessLog

        return AccessLog.objects.create(
            username="cw", action="view", object_type="returns.case", object_ref="RR-2026-0001"
        )

    def axes(model_name):
        def make():
            from axes import models as axes_models

            model = getattr(axes_models, model_name)
            fields = {f.name for f in model._meta.fields}
            values = {
                "user_agent": "Firefox",
                "ip_address": "192.0.2.1",
                "username": "cw",
                "http_accept": "text/html",
                "path_info": "/accounts/login/",
                "get_data": "",
                "post_data": "",
                "failures_since_start": 1,
                "attempt_time": timezone.now(),
            }
            return model.objects.create(**{k: v for k, v in values.items() if k in fields})

        return make

    def totp():
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return TOTPDevice.objects.create(user=_person("owner"), name="phone", confirmed=True)

    def course():
        from tests.training.factories import CourseFactory

        made = CourseFactory()
        return made

    def recruiter():
        return RecruiterFactory(website="https://fair.example")

    def survey_indicator():
        from returns.models import SurveyIndicator

        return SurveyIndicator.objects.order_by("pk").first()  # the data migration's

    def complaint():
        return ComplaintFactory()

    def group():
        return Group.objects.get(name=roles.CASEWORKERS)

    def user():
        person = _person("ana", roles.CASEWORKERS, first_name="Ana", last_name="Pop")
        person.is_staff = True
        person.save()
        return person

    def iris_lookup(model_name):
        def first():
            from iris import models as iris_models

            return getattr(iris_models, model_name).objects.first()

        return first

    return {
        "auth.Group": (group, ()),
        "iomuk.User": (user, ("password", "last_login")),
        "otp_totp.TOTPDevice": (totp, ()),
        "axes.AccessAttempt": (axes("AccessAttempt"), ()),
        "axes.AccessLog": (axes("AccessLog"), ()),
        "axes.AccessFailureLog": (axes("AccessFailureLog"), ()),
        "iomuk.OutboxMessage": (outbox, ()),
        "iomuk.AccessLog": (access_log, ()),
        "training.Course": (course, ()),
        "training.Session": (filled_session, ()),
        "training.Booking": (lambda: BookingFactory(requirements="Hearing loop"), ()),
        "training.Certificate": (certificate, ()),
        "training.AdaptedSessionRequest": (
            lambda: AdaptedSessionRequestFactory(phone="0113 496 0000"),
            (),
        ),
        "returns.ReturnCase": (filled_case, ("version",)),
        "iris.Recruiter": (recruiter, ()),
        "iris.Application": (_application, ()),
        "iris.Complaint": (complaint, ()),
        "iris.Country": (iris_lookup("Country"), ()),
        "iris.Sector": (iris_lookup("Sector"), ()),
        "iris.ComplaintCategory": (iris_lookup("ComplaintCategory"), ()),
        "iris.ApiKey": (_api_key, ()),
        "returns.SurveyIndicator": (survey_indicator, ()),
    }


REGISTERED = sorted(model._meta.label for model in admin.site._registry)


@pytest.mark.django_db
@pytest.mark.parametrize("label", REGISTERED)
def test_every_admin_change_page_keeps_a_record_it_did_not_change(label, client):
    records = _admin_records()
    assert label in records, f"{label} is in the admin but has no record here: add one"
    make, skip = records[label]
    admin_round_trip(client, make(), skip=skip)
