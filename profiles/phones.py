"""Indonesian phone numbers: accepted as people type them (0812…, 62812…, +62 812-…), stored as +62…."""

import re

_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_phone(raw: str) -> str:
    """Return the +62 form of an Indonesian number, or raise ValueError with a reason.

    >>> normalise_phone("0812-3456-7801")
    '+6281234567801'
    """
    text = _SEPARATORS.sub("", (raw or "").strip())
    if not text:
        raise ValueError("empty")
    if text.startswith("+62"):
        national = text[3:]
    elif text.startswith("62"):
        national = text[2:]
    elif text.startswith("0"):
        national = text[1:]
    elif text.startswith("8"):
        # A spreadsheet cell formatted as a number drops the leading 0 of a mobile number.
        national = text
    else:
        raise ValueError("prefix")
    if national.startswith("0"):
        national = national[1:]
    if not national.isdigit() or not 8 <= len(national) <= 13 or national[0] == "0":
        raise ValueError("digits")
    return "+62" + national
