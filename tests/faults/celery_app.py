"""Celery app of the fault tests' worker subprocess: the project's app with a short visibility
timeout (a message whose worker died is handed out again after seconds, not an hour) and hooks
that hold a task at a known point, so the test can kill the worker exactly there.

    celery -A tests.faults.celery_app worker --pool=prefork -c 1

``FAULTS_HOLD_DIR``: each hooked step writes ``<step>.<n>`` (content: the pid) there; the first
run of a step named in ``FAULTS_HOLD`` (comma-separated) then sleeps until it is killed, later runs
go on. Without the variables nothing is recorded or held.
"""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from config.celery import app

app.conf.broker_transport_options = {
    "visibility_timeout": int(os.environ.get("FAULTS_VISIBILITY_TIMEOUT", "4")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


def hold(step: str) -> None:
    mappe = os.environ.get("FAULTS_HOLD_DIR")
    if not mappe:
        return
    n = len(list(Path(mappe).glob(f"{step}.*"))) + 1
    (Path(mappe) / f"{step}.{n}").write_text(str(os.getpid()))
    if n == 1 and step in os.environ.get("FAULTS_HOLD", "").split(","):
        time.sleep(600)  # the test kills this process here


@worker_process_init.connect
def _install_hooks(**kwargs):
    from decisions import pdf
    from webhooks import services as webhooks

    render = pdf.render

    def render_held(dokument):
        hold("render_pdf")  # inside the task's transaction, with the document row locked
        return render(dokument)

    pdf.render = render_held

    udsend_overgang = webhooks.udsend_overgang

    def udsend_overgang_held(log_id):
        result = udsend_overgang(log_id)  # the delivery rows are committed (and queued) here
        hold("efter_overgang")  # ... and the owner's notification is not made yet
        return result

    webhooks.udsend_overgang = udsend_overgang_held
