"""The task outbox: work to be done is written in the request's transaction, then sent to Celery.

A page never fails because Redis or the worker is down: `enqueue()` stores a row and sends it on commit;
a failed send leaves the row pending, and `outbox.resend_pending` (beat, every minute) sends it again.
"""
