"""What the API reads and accepts. Field visibility follows the `rules` permissions (contact details,
a need's confidential fields); writes are validated here and carried out by the apps' services."""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Event, Meeting, Registration
from matchmaking.enums import Answer, AnswerSide, NeedStatus
from matchmaking.models import Need, NeedAttachment
from profiles.models import (
    BuyerOrganisation,
    Certification,
    IkmProfile,
    Kabupaten,
    Material,
    Process,
    ProcessGroup,
    Province,
)

# Codes are short words of letters, digits, dots and dashes; anything else is refused before it reaches a query.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
MAX_ID = 2**63 - 1


class CodeRelatedField(serializers.SlugRelatedField):
    """An object named by its code (taxonomy code, Kemendagri region code)."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not CODE_PATTERN.match(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:40])
        return super().to_internal_value(data)


# --- Reference data -------------------------------------------------------------------------------------

class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "latitude", "longitude"]


class KabupatenSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", read_only=True)

    class Meta:
        model = Kabupaten
        fields = ["code", "name", "kind", "province", "latitude", "longitude"]


class ProcessGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessGroup
        fields = ["id", "code", "name_id", "name_en"]


class ProcessSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Process
        fields = ["id", "code", "name_id", "name_en", "group"]


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = ["id", "code", "name_id", "name_en"]


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ["id", "code", "name_id", "name_en", "description"]


# --- Suppliers ------------------------------------------------------------------------------------------

class SupplierContactSerializer(serializers.Serializer):
    owner_name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()


class SupplierSerializer(serializers.ModelSerializer):
    """An IKM's public profile; `contact` is null unless the reader may see contact details."""

    kabupaten = serializers.CharField(source="kabupaten_id", read_only=True)
    kabupaten_name = serializers.CharField(source="kabupaten.name", read_only=True)
    province = serializers.CharField(source="kabupaten.province_id", read_only=True)
    sentra = serializers.CharField(source="sentra.name", read_only=True, allow_null=True, default=None)
    processes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    materials = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    certifications = serializers.SerializerMethodField(help_text=_("Codes of the certifications still valid."))
    products = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    is_verified = serializers.BooleanField(read_only=True)
    contact = serializers.SerializerMethodField()

    class Meta:
        model = IkmProfile
        fields = ["id", "name", "display_name", "legal_form", "kabupaten", "kabupaten_name", "province", "sentra",
                  "processes", "materials", "certifications", "products", "year_founded", "employees",
                  "business_size", "capacity_tons_month", "tkdn_percent", "description", "verification_status",
                  "is_verified", "group_kind", "contact"]
        extra_kwargs = {"group_kind": {"help_text": _("Empty for a single IKM; koperasi or konsorsium for a "
                                                      "supplier group (its processes and capacity are its "
                                                      "members' together).")}}

    def get_certifications(self, ikm) -> list[str]:
        return [c.certification.code for c in ikm.certifications.all() if c.is_valid]

    @extend_schema_field(SupplierContactSerializer(allow_null=True))
    def get_contact(self, ikm):
        user = self.context["request"].user
        if not user.has_perm("profiles.view_ikm_contact", ikm):
            return None
        return {"owner_name": ikm.owner_name, "phone": ikm.phone, "email": ikm.email, "address": ikm.address}


# --- Needs ----------------------------------------------------------------------------------------------

class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    required = serializers.BooleanField(default=True, help_text=_("False: preferred, not required."))


class RequirementListField(serializers.ListField):
    """A need's processes, materials or certifications: `[{"code": ..., "required": true}]`.

    Reads the need's requirement rows; writes become `{object: required}`, as the need service takes them.
    """

    child = RequirementSerializer()

    def __init__(self, *, model, attr: str, **kwargs):
        self.model, self.attr = model, attr
        kwargs.setdefault("max_length", 50)
        super().__init__(**kwargs)

    def to_representation(self, rows):
        return [{"code": getattr(row, self.attr).code, "required": row.required} for row in rows.all()]

    def to_internal_value(self, data):
        items = super().to_internal_value(data)
        codes = [item["code"] for item in items]
        if len(set(codes)) != len(codes):
            raise serializers.ValidationError(_("A code is listed twice."))
        bad = [code for code in codes if not CODE_PATTERN.match(code)]
        found = {} if bad else {obj.code: obj for obj in self.model.objects.filter(code__in=codes)}
        unknown = bad or [code for code in codes if code not in found]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown codes: %(codes)s.") % {"codes": ", ".join(c[:40] for c in unknown[:5])})
        return {found[item["code"]]: item["required"] for item in items}


class BuyerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = BuyerOrganisation
        fields = ["id", "name", "type"]


NEED_PUBLIC_FIELDS = ["id", "buyer", "title", "description", "component_category", "processes", "materials",
                      "certifications", "quantity", "quantity_unit", "tolerance", "delivery_kabupaten", "deadline",
                      "import_substitution", "min_tkdn_percent", "status", "opened_at"]


class OpenNeedSerializer(serializers.ModelSerializer):
    """An open need as suppliers and other systems see it: no confidential fields (value, attachments)."""

    buyer = BuyerRefSerializer(read_only=True)
    processes = RequirementListField(model=Process, attr="process", source="need_processes", read_only=True)
    materials = RequirementListField(model=Material, attr="material", source="need_materials", read_only=True)
    certifications = RequirementListField(model=Certification, attr="certification", source="need_certifications",
                                          read_only=True)
    delivery_kabupaten = serializers.CharField(source="delivery_kabupaten_id", read_only=True, allow_null=True)

    class Meta:
        model = Need
        fields = NEED_PUBLIC_FIELDS
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]


class BuyerNeedSerializer(serializers.ModelSerializer):
    """A need of the reader's own organisation, confidential fields included; what its staff write."""

    buyer = BuyerRefSerializer(read_only=True)
    processes = RequirementListField(model=Process, attr="process", source="need_processes", min_length=1)
    materials = RequirementListField(model=Material, attr="material", source="need_materials", required=False)
    certifications = RequirementListField(model=Certification, attr="certification", source="need_certifications",
                                          required=False)
    delivery_kabupaten = CodeRelatedField(slug_field="code", queryset=Kabupaten.objects.all(), allow_null=True,
                                          required=False, help_text=_("Kemendagri code of the regency/city."))
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Need
        fields = [*NEED_PUBLIC_FIELDS, "estimated_value_idr", "notes", "attachments", "created_at", "updated_at"]
        read_only_fields = ["id", "buyer", "status", "opened_at", "attachments", "created_at", "updated_at"]


class NeedStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=NeedStatus.choices)


# --- Suggestions and answers ----------------------------------------------------------------------------

class SuggestionSerializer(serializers.Serializer):
    ikm = SupplierSerializer()
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    computed_at = serializers.DateTimeField()
    buyer_answer = serializers.ChoiceField(choices=Answer.choices, allow_null=True)
    ikm_answer = serializers.ChoiceField(choices=Answer.choices, allow_null=True)


class AnswerSerializer(serializers.Serializer):
    need = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    ikm = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    side = serializers.ChoiceField(choices=AnswerSide.choices,
                                   help_text=_("Answer as the buyer (its staff) or as the IKM (its owner)."))
    answer = serializers.ChoiceField(choices=Answer.choices)


class AnswerResultSerializer(serializers.Serializer):
    need = serializers.IntegerField(source="need_id")
    ikm = serializers.IntegerField(source="ikm_id")
    side = serializers.CharField()
    answer = serializers.CharField()
    at = serializers.DateTimeField()
    mutual = serializers.BooleanField(help_text=_("Both sides are interested."))


# --- Events ---------------------------------------------------------------------------------------------

class EventSerializer(serializers.ModelSerializer):
    kabupaten = serializers.CharField(source="kabupaten_id", read_only=True)
    registration_count = serializers.IntegerField(read_only=True, default=0,
                                                  help_text=_("Approved registrations."))

    class Meta:
        model = Event
        fields = ["id", "title", "organiser", "kabupaten", "venue", "description", "start_date", "end_date",
                  "registration_opens", "registration_closes", "meeting_minutes", "session_start", "session_end",
                  "tables", "status", "registration_count"]
        read_only_fields = fields


class AgendaMeetingSerializer(serializers.Serializer):
    slot = serializers.IntegerField(source="slot.index")
    start = serializers.DateTimeField(source="slot.start")
    end = serializers.DateTimeField(source="slot.end")
    table = serializers.IntegerField(source="meeting.table_number")
    status = serializers.ChoiceField(source="meeting.status", choices=Meeting._meta.get_field("status").choices)
    counterpart = serializers.CharField(source="counterpart.name")
    counterpart_kind = serializers.CharField(source="counterpart.kind")


class AgendaSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="registration.pk")
    name = serializers.CharField(source="registration.name")
    kind = serializers.ChoiceField(source="registration.kind",
                                   choices=Registration._meta.get_field("kind").choices)
    status = serializers.ChoiceField(source="registration.status",
                                     choices=Registration._meta.get_field("status").choices)
    meetings = AgendaMeetingSerializer(many=True)


# Used by views to declare error bodies in the schema.
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.JSONField(), required=False)



# --- Partnerships -----------------------------------------------------------------------------------------

class PartnershipStageChangeSerializer(serializers.Serializer):
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    note = serializers.CharField()
    by = serializers.SerializerMethodField()
    at = serializers.DateTimeField()

    def get_by(self, change) -> str | None:
        return str(change.by) if change.by_id else None


class PurchaseOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    value_idr = serializers.DecimalField(max_digits=16, decimal_places=0, min_value=1, max_value=10**15,
                                        help_text=_("Order value in rupiah."))
    order_date = serializers.DateField()
    recorded_at = serializers.DateTimeField(read_only=True)


class PartnershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ikm = serializers.IntegerField(source="ikm_id")
    ikm_name = serializers.CharField(source="ikm.display_name")
    buyer = serializers.IntegerField(source="buyer_id")
    buyer_name = serializers.CharField(source="buyer.name")
    origin = serializers.CharField()
    event = serializers.IntegerField(source="event_id", allow_null=True)
    need = serializers.IntegerField(source="need_id", allow_null=True)
    product = serializers.CharField()
    stage = serializers.CharField(help_text=_("contact, curation, sample, quotation, first_order, ongoing or ended."))
    curation_result = serializers.CharField()
    ended_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    stage_changed_at = serializers.DateTimeField()
    orders = PurchaseOrderSerializer(many=True)
    history = PartnershipStageChangeSerializer(source="stage_changes", many=True)
