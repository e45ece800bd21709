"""Every API error is JSON: `{"detail": message, "errors": {field: [messages]}}` (errors on bad input)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from matchmaking.answers import SuggestionAnswerError
from matchmaking.exceptions import NeedError, PartnershipError

from .services import ApiTokenError

#: Our services' own exceptions: a rule of the domain refused the action; the message says which.
DOMAIN_ERRORS = (NeedError, PartnershipError, SuggestionAnswerError, ApiTokenError)


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A model's full_clean() in a service: field errors as the model named them.
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DOMAIN_ERRORS):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": _("The data sent is not valid; see the errors by field."), "errors": errors}
    elif not isinstance(data, dict) or "detail" not in data:
        response.data = {"detail": str(data)}
    return response
