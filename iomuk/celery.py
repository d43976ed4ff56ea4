import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomuk.settings")

app = Celery("iomuk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
