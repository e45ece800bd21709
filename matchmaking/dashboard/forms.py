"""The dashboard's filter: a period and, inside the user's own region scope, an optional narrower region."""

from datetime import timedelta

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from profiles.models import Province, User
from profiles.selectors import kabupaten_in_scope_list

from ..widgets import options_html
from .selectors import DashboardScope, default_period

#: The longest period one request may ask for (the monthly chart and the queries stay bounded).
MAX_PERIOD = timedelta(days=366 * 10)


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(label=pgettext_lazy("period", "From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=pgettext_lazy("period", "To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    province = forms.ChoiceField(label=_("Province"), required=False)
    kabupaten = forms.ChoiceField(label=_("Regency/city"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only choices inside the scope: anything else is "not one of the available choices", never data.
        # Plain (code, name) pairs, not model instances: a national scope lists some 500 kabupaten/kota.
        in_scope = list(kabupaten_in_scope_list(user).order_by("name").values_list("pk", "name", "province_id"))
        self.province_of = {code: province for code, _name, province in in_scope}
        whole = [("", _("Whole scope"))]
        self.fields["kabupaten"].choices = whole + [(code, name) for code, name, _province in in_scope]
        self.fields["province"].choices = whole + list(
            Province.objects.filter(pk__in=set(self.province_of.values())).order_by("name").values_list("pk", "name"))
        if user.scope_kabupaten_id:
            del self.fields["province"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"

    def options(self, name: str) -> str:
        """A choice field's <option>s, written here: some 500 of them through templates would cost ~30 ms."""
        return mark_safe(options_html(self.fields[name].choices, {str(self[name].value() or "")}))

    def region_fields(self) -> list:
        """The province (if the user may choose one) and kabupaten fields with their options."""
        return [(self[name], self.options(name)) for name in ("province", "kabupaten") if name in self.fields]

    def clean(self):
        data = super().clean()
        start, end = default_period()
        date_from = data.get("date_from") or start
        date_to = data.get("date_to") or end
        if "date_from" in self.errors or "date_to" in self.errors:
            return data
        if date_from > date_to:
            self.add_error("date_to", _("The end of the period must not lie before its start."))
        elif date_to - date_from > MAX_PERIOD:
            self.add_error("date_from", _("Choose a period of at most ten years."))
        province, kabupaten = data.get("province"), data.get("kabupaten")
        if province and kabupaten and self.province_of.get(kabupaten) != province:
            self.add_error("kabupaten", _("This regency/city is not in the chosen province."))
        data["date_from"], data["date_to"] = date_from, date_to
        return data

    def scope(self) -> DashboardScope:
        """The validated filter as a scope for the selectors (call after `is_valid()`)."""
        data = self.cleaned_data
        return DashboardScope(user=self.user, date_from=data["date_from"], date_to=data["date_to"],
                              province_id=data.get("province") or None, kabupaten_id=data.get("kabupaten") or None)
