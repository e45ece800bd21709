"""Cleaning one spreadsheet cell; each parser raises CellError with a message a person understands."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from profiles.phones import normalise_phone

LIST_SEPARATOR = ";"


class CellError(ValueError):
    pass


def parse_list(text: str) -> list[str]:
    """`a; b;c` → ['a', 'b', 'c'] (lower-cased codes, empty parts dropped, order kept, no repeats)."""
    seen: dict[str, None] = {}
    for part in text.split(LIST_SEPARATOR):
        part = part.strip().lower()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def parse_int(text: str, *, minimum: int = 0) -> int | None:
    if not text:
        return None
    try:
        value = int(Decimal(text.replace(" ", "")))
    except (InvalidOperation, ValueError):
        raise CellError(_("'%(v)s' is not a whole number") % {"v": text}) from None
    if value < minimum:
        raise CellError(_("must be at least %(min)d") % {"min": minimum})
    return value


def parse_decimal(text: str, *, minimum: Decimal = Decimal(0)) -> Decimal | None:
    """Accepts 1.5 and the Indonesian 1,5 (a comma with no dot is a decimal comma)."""
    if not text:
        return None
    cleaned = text.replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(_("'%(v)s' is not a number") % {"v": text}) from None
    if not value.is_finite() or value < minimum:
        raise CellError(_("must be a number of at least %(min)s") % {"min": minimum})
    return value


def parse_float_between(text: str, low: float, high: float, label: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise CellError(_("'%(v)s' is not a number") % {"v": text}) from None
    if not low <= value <= high:
        raise CellError(_("%(label)s must be between %(low)s and %(high)s") % {"label": label, "low": low,
                                                                             "high": high})
    return value


def parse_phone(text: str) -> str:
    if not text:
        return ""
    try:
        return normalise_phone(text)
    except ValueError:
        raise CellError(_("'%(v)s' is not an Indonesian phone number") % {"v": text}) from None


def parse_email(text: str) -> str:
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(_("'%(v)s' is not an e-mail address") % {"v": text}) from None
    return text.lower()


def parse_nib(text: str) -> str | None:
    if not text:
        return None
    digits = text.replace(" ", "")
    if not (digits.isdigit() and len(digits) == 13):
        raise CellError(_("the NIB has exactly 13 digits, not '%(v)s'") % {"v": text})
    return digits


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("ya", "y", "true", "1", "yes"):
        return True
    if value in ("tidak", "t", "false", "0", "no", ""):
        return False
    raise CellError(_("'%(v)s' is not ya/tidak/true/false") % {"v": text})


def parse_date(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise CellError(_("'%(v)s' is not a date in the form YYYY-MM-DD") % {"v": text}) from None


def parse_codes(text: str, known: dict, label: str, errors: list[str]) -> list:
    """`a;b` → the known objects for those codes; each unknown code adds an error naming it."""
    found = []
    for code in parse_list(text):
        if code in known:
            found.append(known[code])
        else:
            errors.append(_("unknown %(what)s code '%(code)s'") % {"what": label, "code": code})
    return found
