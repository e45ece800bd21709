"""Form fields shared by the apps."""

from django import forms

ID_LIMIT = 2**63  # PostgreSQL bigint and SQLite INTEGER hold ids below this


def possible_id(value) -> bool:
    """Whether a submitted value could be a row's id: digits only, and small enough for the database."""
    text = str(value)
    return text.isdigit() and int(text) < ID_LIMIT


class BoundedIdsMixin:
    """For model multiple-choice fields: an id beyond 64 bits names no row, so it is refused as an unknown
    choice before the database sees it (SQLite fails on such a number in an IN list)."""

    def _check_values(self, value):
        for pk in value or ():
            digits = str(pk).lstrip("-")
            if digits.isdigit() and not possible_id(digits):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": pk})
        return super()._check_values(value)


class IdsChoiceField(BoundedIdsMixin, forms.ModelMultipleChoiceField):
    """forms.ModelMultipleChoiceField that refuses ids no row can have with a message, not an error page."""


def search_text(params, name: str = "q", limit: int = 100) -> str:
    """A search box's text from request parameters: trimmed, at most `limit` characters, and without NUL
    characters (no one types them, and PostgreSQL refuses them in a query)."""
    return params.get(name, "").replace("\x00", "").strip()[:limit]
