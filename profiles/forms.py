"""Forms for IKM owners (the step-by-step profile), Dinas staff (verification, import)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ikmportal.forms import IdsChoiceField, possible_id

from .enums import GroupKind, VerificationStatus
from .images import MAX_UPLOAD_BYTES
from .models import (
    BuyerOrganisation,
    IkmCertification,
    IkmProfile,
    Kabupaten,
    Machine,
    Material,
    Process,
    Product,
    Sentra,
)
from .phones import normalise_phone


class PhoneField(forms.CharField):
    """Accepts 08…, 62… or +62…; cleans to +62…."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalise_phone(value)
        except ValueError:
            raise ValidationError(_("Enter an Indonesian phone number, e.g. 0812 3456 7890."),
                                  code="phone") from None


class _StepForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


#: A supplier group's fields that are its members' combined (profiles.groups), never typed in.
GROUP_COMBINED_FIELDS = ("processes", "materials", "capacity_tons_month", "employees")


class _GroupAwareStepForm(_StepForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and self.instance.is_group:
            for name in GROUP_COMBINED_FIELDS:
                self.fields.pop(name, None)


class IkmBasicsForm(_GroupAwareStepForm):
    """The first step; for a supplier group, employees are its members' sum and not asked."""

    phone = PhoneField(label=_("Phone (WhatsApp)"), max_length=30, required=False)

    class Meta:
        model = IkmProfile
        fields = ["legal_form", "name", "owner_name", "nib", "phone", "email", "year_founded", "employees",
                  "business_size"]
        help_texts = {"nib": _("13 digits, from OSS.")}

    def clean_nib(self):
        return self.cleaned_data.get("nib") or None


class IkmLocationForm(_StepForm):
    class Meta:
        model = IkmProfile
        fields = ["kabupaten", "sentra", "address", "latitude", "longitude"]
        help_texts = {"latitude": _("Optional: the exact location, for distance to buyers.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].queryset = self.fields["kabupaten"].queryset.select_related("province")
        self.fields["sentra"].queryset = Sentra.objects.select_related("kabupaten")

    def clean(self):
        cleaned = super().clean()
        sentra, kabupaten = cleaned.get("sentra"), cleaned.get("kabupaten")
        if sentra and kabupaten and sentra.kabupaten_id != kabupaten.pk:
            self.add_error("sentra", _("This sentra is in %(kab)s.") % {"kab": sentra.kabupaten})
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return cleaned


class IkmCapabilitiesForm(_GroupAwareStepForm):
    processes = IdsChoiceField(
        queryset=Process.objects.select_related("group"), widget=forms.CheckboxSelectMultiple,
        required=False, label=_("Processes"))
    materials = IdsChoiceField(
        queryset=Material.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
        label=_("Materials"))

    class Meta:
        model = IkmProfile
        fields = ["processes", "materials", "capacity_tons_month", "tkdn_percent", "kbli"]
        widgets = {"kbli": forms.CheckboxSelectMultiple}
        field_classes = {"kbli": IdsChoiceField}


class IkmStoryForm(_StepForm):
    class Meta:
        model = IkmProfile
        fields = ["description", "main_customers"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}),
                   "main_customers": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "description": _("In your own words: what you make, for whom, with which machines. "
                             "We read it to find capabilities you did not tick."),
            "main_customers": _("For example: tier-2 supplier to PT AHM, PDAM Kabupaten Klaten."),
        }


class IkmCertificationForm(forms.ModelForm):
    class Meta:
        model = IkmCertification
        fields = ["certification", "number", "valid_until"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"})}


class MachineForm(forms.ModelForm):
    class Meta:
        model = Machine
        fields = ["machine_type", "count", "capacity"]


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


CertificationFormSet = forms.inlineformset_factory(
    IkmProfile, IkmCertification, form=IkmCertificationForm, extra=1, can_delete=True, max_num=20)
MachineFormSet = forms.inlineformset_factory(
    IkmProfile, Machine, form=MachineForm, extra=1, can_delete=True, max_num=50)
ProductFormSet = forms.inlineformset_factory(
    IkmProfile, Product, form=ProductForm, extra=1, can_delete=True, max_num=50)


class ProductPhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG or WebP, at most %(mb)d MB.")
                            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


class VerificationForm(forms.Form):
    status = forms.ChoiceField(choices=[(VerificationStatus.VERIFIED, _("Verify")),
                                        (VerificationStatus.NEEDS_REVISION, _("Needs revision"))],
                               widget=forms.RadioSelect, label=_("Decision"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Note"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == VerificationStatus.NEEDS_REVISION and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say what the owner must revise."))
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))


class BuyerOrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    logo_upload = forms.FileField(label=_("Logo"), required=False,
                                  help_text=_("JPEG, PNG or WebP, at most %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                                  widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))

    class Meta:
        model = BuyerOrganisation
        fields = ["name", "type", "sector", "address", "kabupaten", "website"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class PhoneSignupForm(forms.Form):
    """Sign-up for IKM owners who have no e-mail address: a phone number (verified by SMS) and a password."""

    phone = PhoneField(label=_("Phone number (HP/WhatsApp)"), max_length=30,
                       widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password (again)"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_phone(self):
        from .models import User

        phone = self.cleaned_data["phone"]
        if User.objects.filter(phone=phone).exists():
            raise ValidationError(_("This phone number is already registered: sign in instead."), code="taken")
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif cleaned.get("password1"):
            from django.contrib.auth import password_validation

            try:
                password_validation.validate_password(cleaned["password1"])
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class GroupCreateForm(forms.Form):
    """Form a koperasi or konsorsium: its name, region and first members (picked from a searched list)."""

    name = forms.CharField(label=_("Group name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in GroupKind.choices if c[0]],
                             widget=forms.RadioSelect)
    kabupaten = forms.ModelChoiceField(label=_("Regency/city"), queryset=Kabupaten.objects.all())
    owner_name = forms.CharField(label=_("Contact person"), max_length=150, required=False,
                                 help_text=_("Who buyers talk to; by default the coordinator."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    members = IdsChoiceField(
        label=_("Members"), queryset=IkmProfile.objects.filter(group_kind=GroupKind.SINGLE),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your own IKMs join at once; the others are invited and join when their owner accepts."),
        error_messages={"required": _("Choose at least one member.")})

    def __init__(self, *args, kabupaten_choices=None, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        if kabupaten_choices is not None:
            self.fields["kabupaten"].queryset = kabupaten_choices
        self.fields["kabupaten"].queryset = self.fields["kabupaten"].queryset.select_related("province")
        # Validate against every IKM, but list only the searched ones (and those already ticked).
        shown = list(candidates)
        ticked = {str(v) for v in (self.data.getlist("members") if hasattr(self.data, "getlist") else [])}
        ticked |= {str(getattr(v, "pk", v)) for v in (self.initial.get("members") or [])}
        missing = ticked - {str(ikm.pk) for ikm in shown}
        if missing:
            shown += list(self.fields["members"].queryset.filter(pk__in=[v for v in missing if possible_id(v)])
                          .select_related("kabupaten", "sentra"))
        self.fields["members"].widget.choices = [(ikm.pk, member_label(ikm)) for ikm in shown]


def member_label(ikm: IkmProfile) -> str:
    where = f"{ikm.sentra}, {ikm.kabupaten}" if ikm.sentra_id else str(ikm.kabupaten)
    return f"{ikm.display_name} — {where}"
