"""A report render may take minutes (the national benchmark report about three); Redis must not hand a running
render to a second worker, which it does once the visibility timeout has passed without an acknowledgement."""

from django.conf import settings

from berichte.tasks import render_bericht_pdf_task


def test_a_running_render_is_never_delivered_to_a_second_worker():
    sichtbar = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]

    assert render_bericht_pdf_task.acks_late
    assert render_bericht_pdf_task.soft_time_limit < render_bericht_pdf_task.time_limit < sichtbar
