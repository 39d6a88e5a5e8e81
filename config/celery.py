import os

from celery import Celery
from celery.signals import worker_init

from infra.checks import refuse_bad_production_config

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

app = Celery("sagsforloeb")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_bad_config(**kwargs):

    refuse_bad_production_config()
