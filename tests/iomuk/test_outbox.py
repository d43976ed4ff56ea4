import re
from datetime import timedelta
from email import policy

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from iomuk.mail import OutboxEmail
from iomuk.models import OutboxMessage
from iomuk.outbox import (
    Attachment,
    _claim,
    outbox_deliver,
    outbox_deliver_batch,
    outbox_enqueue,
    outbox_requeue,
)


@pytest.fixture(autouse=True)
def _templates(test_email_templates):
    pass


def _enqueue(**kwargs):
    return outbox_enqueue(
        to="someone@example.org", template="test-message", context={"name": "Ana"}, **kwargs
    )


def test_it_sends_after_commit_and_marks_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["someone@example.org"]
    assert "Ana" in mail.outbox[0].body


def test_it_keeps_personal_data_out_of_the_subject(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue()
    assert "Ana" not in mail.outbox[0].subject


def test_it_sends_nothing_when_the_change_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _enqueue()
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_it_attaches_files(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(attachments=(Attachment("session.ics", "text/calendar", b"BEGIN:VCALENDAR"),))
    assert mail.outbox[0].attachments[0][0] == "session.ics"


def test_it_never_sends_a_message_twice(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    assert outbox_deliver(message_id=message.pk) is None
    assert len(mail.outbox) == 1


def test_it_renders_in_the_language_asked_for(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = _enqueue(language="ro")
    assert 'lang="ro"' in message.body_html


def test_requeue_delivers_what_the_broker_missed(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # as if the broker was down
        message = _enqueue()
    assert message.state == OutboxMessage.State.PENDING
    assert outbox_requeue(older_than=timedelta(0)) == 1
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert len(mail.outbox) == 1


def test_failed_delivery_is_recorded_and_retried(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.iomuk.failing_backend.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    message.refresh_from_db()
    # Eager mode retries at once; each attempt is counted, then the message waits for a person.
    assert message.attempts == 3
    assert message.state == OutboxMessage.State.FAILED
    assert "SMTPDataError" in message.last_error


def test_prune_deletes_old_sent_mail_and_keeps_what_is_pending(db):
    from django.utils import timezone

    from iomuk.outbox import outbox_prune

    old = OutboxMessage.objects.create(
        to="a@example.org",
        subject="s",
        body_text="b",
        template="t",
        state=OutboxMessage.State.SENT,
        sent_at=timezone.now() - timedelta(days=40),
    )
    recent = OutboxMessage.objects.create(
        to="b@example.org",
        subject="s",
        body_text="b",
        template="t",
        state=OutboxMessage.State.SENT,
        sent_at=timezone.now() - timedelta(days=2),
    )
    pending = OutboxMessage.objects.create(
        to="c@example.org", subject="s", body_text="b", template="t"
    )
    assert outbox_prune(older_than=timedelta(days=30)) == 1
    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, pending.pk}
    assert old.pk not in remaining


def test_prune_also_deletes_old_failed_mail(db):
    from django.utils import timezone

    from iomuk.outbox import outbox_prune

    failed = OutboxMessage.objects.create(
        to="a@example.org", subject="s", body_text="b", template="t", state="failed"
    )
    OutboxMessage.objects.filter(pk=failed.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    fresh_failure = OutboxMessage.objects.create(
        to="b@example.org", subject="s", body_text="b", template="t", state="failed"
    )
    assert outbox_prune(older_than=timedelta(days=30)) == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {fresh_failure.pk}


def test_a_stored_message_keeps_its_recipient_and_body_encrypted(db):
    from django.db import connection

    message = outbox_enqueue(
        to="secret.person@example.org",
        template="test-message",
        context={"name": "Tracking-code-XYZ"},
        attachments=(Attachment("ticket.ics", "text/calendar", b"ATTENDEE:Secret Person"),),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT m."to", m.body_text, m.body_html, a.content FROM iomuk_outboxmessage m'
            " JOIN iomuk_outboxattachment a ON a.message_id = m.id WHERE m.id = %s",
            [message.pk],
        )
        raw = " ".join(str(bytes(v) if isinstance(v, memoryview) else v) for v in cursor.fetchone())
    assert "secret.person" not in raw
    assert "Tracking-code-XYZ" not in raw
    assert "Secret Person" not in raw
    message.refresh_from_db()
    assert message.to == "secret.person@example.org"
    assert "Tracking-code-XYZ" in message.body_text
    assert message.attachments.get().content == b"ATTENDEE:Secret Person"


def test_in_production_without_a_mail_server_no_body_reaches_the_log(capsys):
    from django.core.mail import EmailMessage

    from iomuk.mail import RedactedConsoleBackend

    EmailMessage(
        "A message from IOM UK",
        "Your tracking code is ABCD-EFGH",
        to=["someone@example.org"],
        connection=RedactedConsoleBackend(),
    ).send()
    printed = capsys.readouterr()
    assert "A message from IOM UK" in printed.out + printed.err
    assert "ABCD-EFGH" not in printed.out + printed.err
    assert "someone@example.org" not in printed.out + printed.err


def test_production_settings_without_email_url_use_the_redacting_backend():
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEY": "a-real-production-key-for-the-test",
        "ALLOWED_HOSTS": "example.org",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='iomuk.settings';"
            "from django.conf import settings;print(settings.EMAIL_BACKEND)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "iomuk.mail.RedactedConsoleBackend"


def _send_to_the_sink(settings, sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def _outbox_ids(sink) -> list[str]:
    return [re.search(r"X-Outbox-Id: (\d+)", m).group(1) for m in sink.messages]


def test_a_fan_out_goes_over_far_fewer_connections_than_messages(
    db, settings, smtp_sink, django_capture_on_commit_callbacks
):
    _send_to_the_sink(settings, smtp_sink)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        messages = [
            outbox_enqueue(to=f"person{n}@fan-out.example", template="test-message", context={})
            for n in range(200)
        ]
    ids = _outbox_ids(smtp_sink)
    assert sorted(ids) == sorted(str(m.pk) for m in messages)  # none lost, none twice
    assert smtp_sink.connections <= 10, f"{smtp_sink.connections} connections for 200 messages"
    assert not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists()


def test_a_refused_recipient_does_not_hold_up_the_others(
    db, settings, smtp_sink, django_capture_on_commit_callbacks
):
    _send_to_the_sink(settings, smtp_sink)
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp_sink.refused_recipients = {"person3@fan-out.example"}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        messages = [
            outbox_enqueue(to=f"person{n}@fan-out.example", template="test-message", context={})
            for n in range(10)
        ]
    refused = messages[3]
    ids = _outbox_ids(smtp_sink)
    assert sorted(ids) == sorted(str(m.pk) for m in messages if m != refused)
    refused.refresh_from_db()
    # Tried again on its own (eager mode retries at once) until it is left for a person.
    assert (refused.state, refused.attempts) == (OutboxMessage.State.FAILED, 2)
    assert "SMTPRecipientsRefused" in refused.last_error


def test_mail_written_after_a_rolled_back_savepoint_still_goes(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                _enqueue()
                raise RuntimeError("this part of the change failed")
        except RuntimeError:
            pass
        kept = _enqueue()
    kept.refresh_from_db()
    assert kept.state == OutboxMessage.State.SENT
    assert len(mail.outbox) == 1


def _pending(count):
    with transaction.atomic():
        return [
            outbox_enqueue(to=f"person{n}@batch.example", template="test-message", context={})
            for n in range(count)
        ]


def test_a_batch_costs_one_database_statement_a_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        messages = _pending(20)
    with CaptureQueriesContext(connection) as queries:
        assert outbox_deliver_batch(message_ids=[m.pk for m in messages]) == []
    assert len(mail.outbox) == 20
    # the claim and its read for the batch, then each message's mark: no lock, no commit apart
    assert len(queries) <= 20 + 3, [q["sql"][:60] for q in queries[:8]]
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 20


def test_a_message_claimed_by_a_worker_that_died_is_sent_once_after_its_lease(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        message = _pending(1)[0]
    _claim([message.pk])  # a worker took it, then died before the server accepted it
    assert outbox_deliver_batch(message_ids=[message.pk]) == []  # another worker leaves it
    outbox_requeue(older_than=timedelta(0))  # within the lease: still the dead worker's
    assert mail.outbox == []
    outbox_requeue(older_than=timedelta(0), lease=timedelta(0))  # the lease has run out
    outbox_requeue(older_than=timedelta(0), lease=timedelta(0))
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.SENT


def test_a_worker_gives_back_what_its_lease_leaves_no_time_to_send(
    db, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_LEASE = 2 * settings.EMAIL_TIMEOUT  # no time left to start a send
    with django_capture_on_commit_callbacks(execute=False):
        messages = _pending(3)
    ids = [m.pk for m in messages]
    assert outbox_deliver_batch(message_ids=ids) == ids
    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"pending"}


def _plain_text_columns(model) -> list[str]:
    """Every column of `model` stored as it is: text, char and JSON fields not encrypted."""
    from django.db import models

    from iomuk.fields import EncryptedBinaryField, EncryptedTextField

    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and not isinstance(field, EncryptedTextField | EncryptedBinaryField)
    ]


def test_a_refused_recipient_leaves_no_address_in_any_plain_text_column(
    db, settings, smtp_sink, django_capture_on_commit_callbacks
):
    _send_to_the_sink(settings, smtp_sink)
    settings.OUTBOX_MAX_ATTEMPTS = 1
    smtp_sink.refused_recipients = {"Survivor.Name@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(
            to="Survivor.Name@example.org",
            template="test-message",
            context={},
            attachments=(Attachment("ticket.ics", "text/calendar", b"x"),),
        )
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED
    # The admin still says what went wrong, without saying to whom.
    assert message.last_error.startswith("SMTPRecipientsRefused: ")
    assert "<recipient>" in message.last_error
    # (Plain fields read through the ORM are the stored values themselves.)
    for model, key in ((OutboxMessage, "pk"), (message.attachments.model, "message")):
        fields = _plain_text_columns(model)
        assert fields
        stored = model.objects.filter(**{key: message.pk}).values_list(*fields).get()
        raw = " ".join(str(value) for value in stored).lower()
        assert "survivor.name" not in raw, (model.__name__, raw)
        assert "@example.org" not in raw, (model.__name__, raw)


def _message_id(email) -> str:
    return email.message()["Message-ID"]


def test_a_message_sent_twice_carries_the_same_message_id_so_mail_programs_fold_it(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
        _enqueue()
    # The worker was killed between the server's accept and its mark: the row is sent again.
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxMessage.State.PENDING)
    outbox_deliver(message_id=message.pk)
    first, second_row, again = mail.outbox
    assert first.extra_headers["X-Outbox-Id"] == again.extra_headers["X-Outbox-Id"]
    assert _message_id(first) == _message_id(again)
    assert _message_id(first) == _message_id(first)  # not made anew each time it is rendered
    assert _message_id(second_row) != _message_id(first)
    # no personal data in it: the domain is the site's own
    assert re.fullmatch(r"<outbox-\d+\.[0-9a-f]+@iom-uk\.example>", _message_id(first))
    assert "someone" not in _message_id(first)


def _as_sent(email) -> bytes:
    """The bytes the SMTP backend hands the server, with the parts' random boundary set."""
    message = email.message(policy=policy.SMTP)
    for part in message.walk():
        if part.is_multipart():
            part.set_boundary("=====the-boundary=====")
    return message.as_bytes()


def test_an_outbox_message_is_written_out_as_django_writes_it():
    # The outbox's own message keeps the header classes it makes; what it writes out is
    # Django's, byte for byte: encoded words, a folded long subject, every part.
    fields = {
        "subject": "Sesizarea dumneavoastră a fost înregistrată: ce urmează în următoarele zile "
        "și cum ne puteți scrie",
        "body": "Bună ziua,\nMulțumim.",
        "from_email": "IOM UK <no-reply@iom-uk.example>",
        "to": ["Ștefan Ionescu <stefan@exemplu.ro>"],
        "headers": {
            "Date": "Tue, 08 Dec 2026 09:00:00 +0000",
            "Message-ID": "<outbox-7.00ff@iom-uk.example>",
            "X-Outbox-Id": "7",
            "List-Unsubscribe": "<https://iom-uk.example/iris/watch/stop/>",
        },
    }
    ours, django = OutboxEmail(**fields), EmailMultiAlternatives(**fields)
    for email in (ours, django):
        email.attach_alternative("<p>Bună ziua,</p>", "text/html")
        email.attach("plan.pdf", b"%PDF-1.4 plan", "application/pdf")
    assert _as_sent(ours) == _as_sent(django)
    assert b"Subject: Sesizarea =?utf-8?" in _as_sent(ours)  # (it holds what the test means)
