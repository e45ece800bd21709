"""Forms for moving partnerships along and for Dinas recording one they learned of offline."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikmportal.forms import possible_id
from profiles.models import BuyerOrganisation, IkmProfile

from ..enums import PARTNERSHIP_ROAD, PartnershipStage
from ..widgets import FastSelect

MAX_ORDER_IDR = 10**15  # Rp 1.000 triliun: beyond any IKM order; catches a slipped finger


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        later = PARTNERSHIP_ROAD[PARTNERSHIP_ROAD.index(partnership.stage) + 1:] \
            if partnership.stage in PARTNERSHIP_ROAD else ()
        # Orders move it to "first order"/"ongoing" (the order form), so those are not offered here.
        choices = [(s, PartnershipStage(s).label) for s in later
                   if s not in (PartnershipStage.FIRST_ORDER, PartnershipStage.ONGOING)]
        self.fields["to_stage"].choices = choices


class OrderForm(forms.Form):
    value_idr = forms.DecimalField(label=_("Order value (Rp)"), min_value=1, max_value=MAX_ORDER_IDR,
                                   decimal_places=0, max_digits=16,
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}))
    order_date = forms.DateField(label=_("Order date"), widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.CharField(label=_("PO number"), required=False, max_length=60)

    def clean_order_date(self):
        value = self.cleaned_data["order_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The order date cannot be in the future."))
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RecordForm(forms.Form):
    """Dinas: a partnership learned of offline (a phone call, a visit, a letter)."""

    ikm = forms.ModelChoiceField(label=_("IKM"), queryset=IkmProfile.objects.none(), widget=FastSelect)
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=BuyerOrganisation.objects.all(), widget=FastSelect)
    stage = forms.ChoiceField(label=_("Stage now"), choices=[(s, PartnershipStage(s).label) for s in PARTNERSHIP_ROAD])
    product = forms.CharField(label=_("Product or scope"), required=False, max_length=200)
    order_value = forms.DecimalField(label=_("First order value (Rp)"), required=False, min_value=1,
                                     max_value=MAX_ORDER_IDR, decimal_places=0, max_digits=16)
    order_date = forms.DateField(label=_("First order date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("How Dinas learned of it"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    #: A national scope holds some 20,000 IKMs: the list offers at most this many, found by name.
    SHOWN_IKMS = 50

    def __init__(self, *args, ikm_queryset, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["ikm"]
        field.queryset = ikm_queryset  # what may be chosen (checked on submit)
        shown = ikm_queryset.filter(Q(name__icontains=search) | Q(ref__iexact=search) | Q(nib=search)) \
            if search else ikm_queryset.order_by("-updated_at")
        shown = list(shown[: self.SHOWN_IKMS])
        chosen = self.data.get("ikm") if self.is_bound else None
        if chosen and possible_id(chosen) and all(str(i.pk) != str(chosen) for i in shown):
            shown += list(ikm_queryset.filter(pk=chosen))
        field.choices = [("", "---------")] + [(i.pk, f"{i.display_name} ({i.kabupaten.name})") for i in shown]

    def clean(self):
        data = super().clean()
        if data.get("stage") in (PartnershipStage.FIRST_ORDER, PartnershipStage.ONGOING):
            if not data.get("order_value"):
                self.add_error("order_value", _("Give the value of the first purchase order."))
            if not data.get("order_date"):
                self.add_error("order_date", _("Give the date of the first purchase order."))
        if data.get("order_date") and data["order_date"] > timezone.localdate():
            self.add_error("order_date", _("The order date cannot be in the future."))
        return data
