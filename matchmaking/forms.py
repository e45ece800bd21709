"""Forms for buyer staff: a need with its requirements (required or preferred) and its drawings."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from ikmportal.forms import IdsChoiceField
from profiles.models import Certification, Material, Process

from .attachments import MAX_ATTACHMENT_BYTES
from .models import Need

REQUIREMENT_KINDS = [
    ("processes", Process, _("processes")),
    ("materials", Material, _("materials")),
    ("certifications", Certification, _("certifications")),
]


class NeedForm(forms.ModelForm):
    """The need itself plus, for each kind of requirement, a required and a preferred list."""

    class Meta:
        model = Need
        fields = ["title", "description", "component_category", "quantity", "quantity_unit", "tolerance",
                  "delivery_kabupaten", "deadline", "import_substitution", "min_tkdn_percent",
                  "estimated_value_idr", "notes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "notes": forms.Textarea(attrs={"rows": 2}),
                   "deadline": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        for name, model, label in REQUIREMENT_KINDS:
            queryset = model.objects.select_related("group") if model is Process else model.objects.all()
            self.fields[f"{name}_required"] = IdsChoiceField(
                queryset=queryset, required=False, widget=forms.CheckboxSelectMultiple,
                label=_("Required %(kind)s") % {"kind": label})
            self.fields[f"{name}_preferred"] = IdsChoiceField(
                queryset=queryset, required=False, widget=forms.CheckboxSelectMultiple,
                label=_("Preferred %(kind)s") % {"kind": label})
        if self.instance.pk:
            for name, rows, attr in (("processes", self.instance.need_processes.all(), "process"),
                                     ("materials", self.instance.need_materials.all(), "material"),
                                     ("certifications", self.instance.need_certifications.all(), "certification")):
                self.initial[f"{name}_required"] = [getattr(r, f"{attr}_id") for r in rows if r.required]
                self.initial[f"{name}_preferred"] = [getattr(r, f"{attr}_id") for r in rows if not r.required]

    def clean(self):
        cleaned = super().clean()
        for name, _model, _label in REQUIREMENT_KINDS:
            both = set(cleaned.get(f"{name}_required") or []) & set(cleaned.get(f"{name}_preferred") or [])
            if both:
                self.add_error(f"{name}_preferred", _("Mark %(items)s as required or preferred, not both.")
                               % {"items": ", ".join(str(i) for i in both)})
        if not cleaned.get("processes_required") and not cleaned.get("processes_preferred"):
            self.add_error("processes_required", _("Name at least one process."))
        return cleaned

    def requirements(self) -> dict[str, dict]:
        """{kind: {object: required}} for need_save()."""
        result = {}
        for name, _model, _label in REQUIREMENT_KINDS:
            mapping = dict.fromkeys(self.cleaned_data.get(f"{name}_preferred") or [], False)
            mapping.update(dict.fromkeys(self.cleaned_data.get(f"{name}_required") or [], True))
            result[name] = mapping
        return result


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Drawing"),
        help_text=_("PDF, PNG, JPG or DXF, at most %(mb)d MB. Only your organisation and Dinas can open it.")
        % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.dxf"}))
