import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger, worker_init

from infra.checks import refuse_bad_production_config
from infra.logging import masker_alle_handlere

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

app = Celery("sagsforloeb")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_bad_config(**kwargs):

    refuse_bad_production_config()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _masker_cpr(**kwargs):
    masker_alle_handlere()  # Celery's own handlers on the root and task loggers
