"""Sending text messages (phone verification codes).

`SMS_BACKEND` chooses how: `console` (default) logs the message — for the embedded demo and until a
gateway is configured —, `locmem` keeps messages in `outbox` for tests. A production gateway (an
Indonesian SMS or WhatsApp provider) is one more backend here.
"""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)

outbox: list[tuple[str, str]] = []


def send_sms(to: str, text: str) -> None:
    backend = getattr(settings, "SMS_BACKEND", "console")
    if backend == "locmem":
        outbox.append((to, text))
    elif backend == "console":
        logger.warning("SMS to %s: %s", to, text)
    else:
        raise ValueError(f"unknown SMS_BACKEND {backend!r}")
