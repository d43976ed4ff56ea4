import logging
import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomuk.settings")

logger = logging.getLogger(__name__)

app = Celery("iomuk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class SweepOutboxOnEmptyBroker(bootsteps.StartStopStep):
    """Each time a worker (re)connects to a broker whose queues are empty, the outbox is swept
    at once: a Redis that came back empty has lost every queued task, and the periodic sweep
    (every OUTBOX_REQUEUE_EVERY, for messages older than OUTBOX_REQUEUE_AFTER) would leave the
    mail waiting minutes. The consumer restarts its steps on every reconnection, so `start` runs
    then too. A message queued twice this way is still sent once (the claim is one statement)."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, c):
        if c.app.conf.task_always_eager:
            return
        try:
            with c.app.connection_for_write() as connection:
                channel = connection.default_channel
                waiting = sum(
                    queue(channel).queue_declare().message_count for queue in c.task_consumer.queues
                )
            if waiting:
                return
            # The sweep runs as a task (the app's modules are not imported here, before Django
            # is set up); the broker is empty, so it is next in line.
            c.app.send_task("iomuk.tasks.requeue_outbox_now")
        except Exception as exc:  # noqa: BLE001 - the periodic sweep remains; never stop a worker
            logger.warning("outbox sweep on connect skipped (%r)", exc)


app.steps["consumer"].add(SweepOutboxOnEmptyBroker)
