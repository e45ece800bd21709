"""API v1 views: parse, check permission through `rules`, call a selector or service, serialise."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from events.models import Event
from events.selectors import agenda_for, events_for, registrations_acted_for
from matchmaking.answers import mutual_interest, suggestion_answer
from matchmaking.enums import AnswerSide
from matchmaking.filters import OpportunityFilter
from matchmaking.models import Need, Partnership, Suggestion, SuggestionAnswer
from matchmaking.partnerships.selectors import partnership_detail_queryset, partnerships_visible_to
from matchmaking.partnerships.services import purchase_order_add
from matchmaking.selectors import directory_queryset, need_detail_queryset, open_needs
from matchmaking.services import need_save, need_status_set
from profiles.enums import VerificationStatus
from profiles.models import (
    Certification,
    IkmCertification,
    IkmProfile,
    Kabupaten,
    Material,
    Process,
    ProcessGroup,
    Province,
)

from . import serializers as s
from .filters import FilterSetBackend, IkmSearchBackend, SupplierApiFilter
from .permissions import RulesPermission

ID = "[0-9]{1,18}"
ERRORS = {400: s.ErrorSerializer, 401: s.ErrorSerializer, 403: s.ErrorSerializer, 404: s.ErrorSerializer}


# --- Reference data (public) ----------------------------------------------------------------------------

class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9._-]{1,40}"


@extend_schema(tags=["reference"])
class ProvinceViewSet(ReferenceViewSet):
    queryset = Province.objects.order_by("code")
    serializer_class = s.ProvinceSerializer


@extend_schema(tags=["reference"])
class KabupatenViewSet(ReferenceViewSet):
    queryset = Kabupaten.objects.order_by("code")
    serializer_class = s.KabupatenSerializer
    filter_backends = [FilterSetBackend]
    filterset_fields = ["province", "kind"]


@extend_schema(tags=["reference"])
class ProcessGroupViewSet(ReferenceViewSet):
    queryset = ProcessGroup.objects.order_by("position", "pk")
    serializer_class = s.ProcessGroupSerializer


@extend_schema(tags=["reference"])
class ProcessViewSet(ReferenceViewSet):
    queryset = Process.objects.select_related("group").order_by("group__position", "position", "pk")
    serializer_class = s.ProcessSerializer


@extend_schema(tags=["reference"])
class MaterialViewSet(ReferenceViewSet):
    queryset = Material.objects.order_by("position", "pk")
    serializer_class = s.MaterialSerializer


@extend_schema(tags=["reference"])
class CertificationViewSet(ReferenceViewSet):
    queryset = Certification.objects.order_by("position", "pk")
    serializer_class = s.CertificationSerializer


# --- Suppliers ------------------------------------------------------------------------------------------

@extend_schema(tags=["suppliers"])
@extend_schema_view(
    list=extend_schema(description=_(
        "Suppliers, filtered like the supplier directory (process, material, region ids) and searched with `q`. "
        "Buyer staff and Dinas see every listed supplier with contact details; others see verified suppliers "
        "without them.")),
)
class SupplierViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = s.SupplierSerializer
    filter_backends = [FilterSetBackend, IkmSearchBackend]
    filterset_class = SupplierApiFilter
    lookup_value_regex = ID

    def get_queryset(self):
        suppliers = (
            directory_queryset()
            .defer(None).defer("search_document", "search_vector")
            .prefetch_related("materials", Prefetch(
                "certifications", queryset=IkmCertification.objects.select_related("certification")))
            .select_related("kabupaten")
            .order_by("-verification_status", "name", "pk")
        )
        # The directory page is for those who may search suppliers; everyone else reads verified ones only.
        if not self.request.user.has_perm("profiles.search_suppliers"):
            suppliers = suppliers.filter(verification_status=VerificationStatus.VERIFIED)
        return suppliers


# --- Open needs (read) ----------------------------------------------------------------------------------

@extend_schema(tags=["needs"])
class OpenNeedViewSet(viewsets.ReadOnlyModelViewSet):
    """Open needs with a deadline not passed, without confidential fields."""

    permission_classes = [IsAuthenticated, RulesPermission]
    object_perms = {"retrieve": "matchmaking.view_need"}
    serializer_class = s.OpenNeedSerializer
    filter_backends = [FilterSetBackend]
    filterset_class = OpportunityFilter
    lookup_value_regex = ID

    def get_queryset(self):
        return open_needs().select_related("buyer").order_by("deadline", "-created_at", "pk")


# --- A buyer organisation's needs (read and write) ------------------------------------------------------

@extend_schema(tags=["buyer needs"])
@extend_schema_view(
    list=extend_schema(description=_("The needs of your organisation, every status, confidential fields included.")),
    create=extend_schema(description=_("Post a need (as a draft; open it with the status action)."),
                         responses={201: s.BuyerNeedSerializer, **ERRORS}),
    update=extend_schema(responses={200: s.BuyerNeedSerializer, **ERRORS}),
    partial_update=extend_schema(responses={200: s.BuyerNeedSerializer, **ERRORS}),
)
class BuyerNeedViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Needs of the caller's buyer organisation; another organisation's need does not exist here (404)."""

    permission_classes = [IsAuthenticated, RulesPermission]
    action_perms = {"*": "matchmaking.post_needs"}
    object_perms = {"*": "matchmaking.view_need", "update": "matchmaking.change_need",
                    "partial_update": "matchmaking.change_need", "set_status": "matchmaking.change_need",
                    "suggestions": "matchmaking.view_need_suggestions"}
    serializer_class = s.BuyerNeedSerializer
    filter_backends = [FilterSetBackend]
    filterset_fields = ["status"]
    lookup_value_regex = ID

    def get_queryset(self):
        organisation_id = getattr(self.request.user, "buyer_organisation_id", None)
        return need_detail_queryset().filter(buyer_id=organisation_id).select_related("buyer").order_by(
            "-created_at", "pk")

    def _save(self, serializer, need: Need) -> Need:
        data = dict(serializer.validated_data)
        current = {}
        if need.pk is not None:
            current = {"need_processes": {r.process: r.required for r in need.need_processes.all()},
                       "need_materials": {r.material: r.required for r in need.need_materials.all()},
                       "need_certifications": {r.certification: r.required for r in need.need_certifications.all()}}
        processes = data.pop("need_processes", current.get("need_processes", {}))
        materials = data.pop("need_materials", current.get("need_materials", {}))
        certifications = data.pop("need_certifications", current.get("need_certifications", {}))
        for field, value in data.items():
            setattr(need, field, value)
        need = need_save(need=need, by=self.request.user, processes=processes, materials=materials,
                         certifications=certifications)
        return self.get_queryset().get(pk=need.pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        need = self._save(serializer, Need())
        return Response(self.get_serializer(need).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        need = self.get_object()
        serializer = self.get_serializer(need, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        return Response(self.get_serializer(self._save(serializer, need)).data)

    @extend_schema(request=s.NeedStatusSerializer, responses={200: s.BuyerNeedSerializer, **ERRORS},
                   description=_("Change a need's status: open it, close it, mark it awarded (closed may reopen)."))
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        need = self.get_object()
        serializer = s.NeedStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        need_status_set(need=need, by=request.user, status=serializer.validated_data["status"])
        return Response(self.get_serializer(self.get_queryset().get(pk=need.pk)).data)

    @extend_schema(responses={200: s.SuggestionSerializer(many=True), **ERRORS},
                   description=_("The matching engine's suggested IKMs for this need, best first, with both "
                                 "sides' answers."))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def suggestions(self, request, pk=None):
        need = self.get_object()
        suggestions = (
            Suggestion.objects.filter(need=need)
            .select_related("ikm__kabupaten", "ikm__sentra")
            .prefetch_related("ikm__processes", "ikm__materials", "ikm__products",
                              Prefetch("ikm__certifications",
                                       queryset=IkmCertification.objects.select_related("certification")))
            .order_by("rank")
        )
        answers = {(ikm_id, side): answer for ikm_id, side, answer in
                   SuggestionAnswer.objects.filter(need=need).values_list("ikm_id", "side", "answer")}
        rows = [{"ikm": row.ikm, "rank": row.rank, "score": row.score, "computed_at": row.computed_at,
                 "buyer_answer": answers.get((row.ikm_id, AnswerSide.BUYER)),
                 "ikm_answer": answers.get((row.ikm_id, AnswerSide.IKM))} for row in suggestions]
        return Response(s.SuggestionSerializer(rows, many=True, context=self.get_serializer_context()).data)


# --- Answers to suggestions -----------------------------------------------------------------------------

@extend_schema(tags=["suggestions"])
class AnswerViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = s.AnswerSerializer

    @extend_schema(request=s.AnswerSerializer, responses={200: s.AnswerResultSerializer, **ERRORS},
                   description=_("Answer a suggestion (a need–IKM pair) as the buyer or as the IKM; answering "
                                 "again changes the answer."))
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        need = Need.objects.filter(pk=data["need"]).first()
        if need is None or not request.user.has_perm("matchmaking.view_need", need):
            raise ValidationError({"need": [_("There is no such need.")]})
        if not Suggestion.objects.filter(need=need, ikm_id=data["ikm"]).exists():
            raise ValidationError({"ikm": [_("This IKM is not suggested for this need.")]})
        ikm = IkmProfile.objects.get(pk=data["ikm"])
        perm, target = (("matchmaking.answer_suggestion_as_buyer", need) if data["side"] == AnswerSide.BUYER
                        else ("matchmaking.answer_suggestion_as_ikm", ikm))
        if not request.user.has_perm(perm, target):
            raise PermissionDenied(_("You cannot answer this suggestion for that side."))
        row = suggestion_answer(need=need, ikm=ikm, by=request.user, side=data["side"], answer=data["answer"])
        row.mutual = mutual_interest(need.pk, ikm.pk)
        return Response(s.AnswerResultSerializer(row).data)


# --- Events ---------------------------------------------------------------------------------------------

@extend_schema(tags=["events"])
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, RulesPermission]
    action_perms = {"*": "events.browse_events", "agenda": "events.take_part"}
    object_perms = {"*": "events.view_event"}
    serializer_class = s.EventSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        return events_for(self.request.user).order_by("-start_date", "title", "pk")

    @extend_schema(responses={200: s.AgendaSerializer(many=True), **ERRORS},
                   description=_("Your meetings at this event, per registration you act for (empty until the "
                                 "schedule is published)."))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def agenda(self, request, pk=None):
        event: Event = self.get_object()
        visible = event.schedule_visible or request.user.has_perm("events.manage_event", event)
        rows = [{"registration": registration,
                 "meetings": agenda_for(registration) if visible else []}
                for registration in registrations_acted_for(request.user, event)]
        return Response(s.AgendaSerializer(rows, many=True).data)



# --- Partnerships -----------------------------------------------------------------------------------------

@extend_schema(tags=["partnerships"])
class PartnershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Partnerships the caller may see (IKM owners theirs, buyer staff their organisation's, Dinas their
    region's), with their history and purchase orders; others' do not exist here (404)."""

    permission_classes = [IsAuthenticated, RulesPermission]
    action_perms = {"*": "matchmaking.browse_partnerships"}
    object_perms = {"*": "matchmaking.view_partnership", "orders": "matchmaking.change_partnership"}
    serializer_class = s.PartnershipSerializer
    filter_backends = [FilterSetBackend]
    filterset_fields = ["stage"]
    lookup_value_regex = ID

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Partnership.objects.none()
        visible = partnerships_visible_to(self.request.user).values("pk")
        return partnership_detail_queryset().filter(pk__in=visible).order_by("-stage_changed_at", "-pk")

    @extend_schema(request=s.PurchaseOrderSerializer, responses={201: s.PartnershipSerializer, **ERRORS},
                   description=_("Record a purchase order (e.g. from the buyer's ERP): the first moves the "
                                 "partnership to “first order”, a repeat one to “ongoing”."))
    @action(detail=True, methods=["post"])
    def orders(self, request, pk=None):
        partnership = self.get_object()
        serializer = s.PurchaseOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        purchase_order_add(partnership=partnership, by=request.user, value_idr=data["value_idr"],
                           order_date=data["order_date"], number=data.get("number", ""))
        fresh = partnership_detail_queryset().get(pk=partnership.pk)
        return Response(s.PartnershipSerializer(fresh).data, status=status.HTTP_201_CREATED)
