"""Pages for IKM owners, buyer staff and Dinas staff: thin, they check permission and call services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ikmportal.forms import search_text

from .enums import MembershipStatus, VerificationStatus
from .exceptions import ProfileError
from .forms import (
    BuyerOrganisationForm,
    CertificationFormSet,
    GroupCreateForm,
    IkmBasicsForm,
    IkmCapabilitiesForm,
    IkmLocationForm,
    IkmStoryForm,
    ImportUploadForm,
    MachineFormSet,
    PhoneSignupForm,
    ProductFormSet,
    ProductPhotoForm,
    VerificationForm,
)
from .groups import (
    group_coordinator_set,
    group_create,
    group_invite,
    membership_accept,
    membership_decline,
    membership_leave,
    membership_remove,
)
from .importing.batches import ikm_batch_cancel, ikm_batch_commit, ikm_batch_create, ikm_batch_preview
from .importing.ikm import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from .importing.tables import MAX_IMPORT_BYTES
from .models import BuyerOrganisation, GroupMembership, IkmProfile, ImportBatch, Product, ProductPhoto
from .selectors import (
    group_member_candidates,
    group_memberships,
    groups_coordinated_by,
    groups_in_region,
    groups_of_member,
    ikm_completeness,
    ikm_detail_queryset,
    ikm_verification_queue,
    ikms_owned_by,
    kabupaten_in_scope_list,
    memberships_of_owner,
    region_scope_q,
)
from .services import (
    buyer_organisation_update,
    ikm_changed,
    ikm_create_for_owner,
    ikm_verification_set,
    phone_signup,
    product_photo_add,
    product_photo_delete,
)


def _ikm_for_edit(request, pk: int) -> IkmProfile:
    ikm = get_object_or_404(ikm_detail_queryset(), pk=pk)
    if not request.user.has_perm("profiles.change_ikmprofile", ikm):
        raise PermissionDenied
    return ikm


@login_required
def dashboard(request):
    user = request.user
    context = {}
    if user.is_ikm_owner:
        ikms = list(ikm_detail_queryset().filter(owner=user))
        context["ikm_rows"] = [(ikm, ikm_completeness(ikm)) for ikm in ikms]
        context["open_invitations"] = GroupMembership.objects.filter(
            member__owner=user, status=MembershipStatus.INVITED).count()
    elif user.is_dinas_staff:
        counts = IkmProfile.objects.filter(region_scope_q(user)).aggregate(
            total=Count("pk"),
            pending=Count("pk", filter=Q(verification_status=VerificationStatus.PENDING)),
            verified=Count("pk", filter=Q(verification_status=VerificationStatus.VERIFIED)),
            revision=Count("pk", filter=Q(verification_status=VerificationStatus.NEEDS_REVISION)),
        )
        context["counts"] = counts
    return render(request, "profiles/dashboard.html", context)


@login_required
@permission_required("profiles.have_ikm_profile", raise_exception=True)
def my_ikms(request):
    return render(request, "profiles/ikm_list_own.html", {"ikms": ikms_owned_by(request.user)})


IKM_STEPS = [
    ("basics", gettext_lazy("Business"), IkmBasicsForm),
    ("location", gettext_lazy("Location"), IkmLocationForm),
    ("capabilities", gettext_lazy("Capabilities"), IkmCapabilitiesForm),
    ("certifications", gettext_lazy("Certifications"), CertificationFormSet),
    ("machines", gettext_lazy("Machines"), MachineFormSet),
    ("products", gettext_lazy("Products"), ProductFormSet),
    ("story", gettext_lazy("Description"), IkmStoryForm),
]
STEP_NAMES = [name for name, _label, _form in IKM_STEPS]


@login_required
@permission_required("profiles.have_ikm_profile", raise_exception=True)
def ikm_create(request):
    """The first step creates the profile; the remaining steps edit it."""
    form = IkmBasicsForm(request.POST or None)
    location = IkmLocationForm(request.POST or None, prefix="loc")
    if request.method == "POST" and form.is_valid() and location.is_valid():
        ikm = form.save(commit=False)
        for field, value in location.cleaned_data.items():
            setattr(ikm, field, value)
        fields = {f: getattr(ikm, f) for f in [*form.Meta.fields, *location.Meta.fields]}
        fields.pop("name")
        ikm = ikm_create_for_owner(owner=request.user, name=ikm.name, **fields)
        messages.success(request, _("Your business is registered. Now tell buyers what you can make."))
        return redirect("profiles:ikm_edit", pk=ikm.pk, step="capabilities")
    return render(request, "profiles/ikm_create.html", {"form": form, "location": location})


@login_required
def ikm_edit(request, pk: int, step: str = "basics"):
    ikm = _ikm_for_edit(request, pk)
    if step not in STEP_NAMES:
        raise Http404
    index = STEP_NAMES.index(step)
    form_class = IKM_STEPS[index][2]
    form = form_class(request.POST or None, instance=ikm)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            ikm_changed([ikm.pk])
        messages.success(request, _("Saved."))
        if "next" in request.POST and index + 1 < len(STEP_NAMES):
            return redirect("profiles:ikm_edit", pk=ikm.pk, step=STEP_NAMES[index + 1])
        if "next" in request.POST:
            return redirect("profiles:ikm_detail", pk=ikm.pk)
        return redirect("profiles:ikm_edit", pk=ikm.pk, step=step)
    ikm = get_object_or_404(ikm_detail_queryset(), pk=pk)
    return render(request, "profiles/ikm_edit.html", {
        "ikm": ikm, "form": form, "step": step, "steps": IKM_STEPS, "step_index": index,
        "is_formset": hasattr(form, "management_form"), "is_last": index + 1 == len(STEP_NAMES),
        "completeness": ikm_completeness(ikm), "photo_form": ProductPhotoForm(),
    })


@login_required
@require_POST
def product_photo_upload(request, pk: int, product_pk: int):
    ikm = _ikm_for_edit(request, pk)
    product = get_object_or_404(Product, pk=product_pk, ikm=ikm)
    form = ProductPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            product_photo_add(product=product, upload=form.cleaned_data["photo"])
        except (ValidationError, ProfileError) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Photo added to %(product)s.") % {"product": product.name})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("profiles:ikm_edit", pk=ikm.pk, step="products")


@login_required
@require_POST
def product_photo_remove(request, pk: int, photo_pk: int):
    ikm = _ikm_for_edit(request, pk)
    photo = get_object_or_404(ProductPhoto, pk=photo_pk, product__ikm=ikm)
    product_photo_delete(photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect("profiles:ikm_edit", pk=ikm.pk, step="products")


def ikm_detail(request, pk: int):
    """The public supplier page; contact details only for buyer staff, Dinas and the owner."""
    ikm = get_object_or_404(ikm_detail_queryset(), pk=pk)
    today = timezone.localdate()
    return render(request, "profiles/ikm_detail.html", {
        "ikm": ikm,
        "group_members": list(group_memberships(ikm).filter(status=MembershipStatus.ACTIVE)) if ikm.is_group else [],
        "member_of": list(groups_of_member(ikm)) if not ikm.is_group else [],
        "can_manage_group": request.user.has_perm("profiles.manage_group", ikm),
        "show_contact": request.user.has_perm("profiles.view_ikm_contact", ikm),
        "can_edit": request.user.has_perm("profiles.change_ikmprofile", ikm),
        "can_verify": request.user.has_perm("profiles.verify_ikmprofile", ikm),
        "valid_certifications": [c for c in ikm.certifications.all() if c.valid_until is None or c.valid_until >= today],
        "records": ikm.verification_records.select_related("by")[:10],
        "verification_form": VerificationForm(),
    })


@login_required
@permission_required("profiles.verify_ikms", raise_exception=True)
def verification_queue(request):
    status = request.GET.get("status", VerificationStatus.PENDING)
    if status not in VerificationStatus.values:
        status = VerificationStatus.PENDING
    page = Paginator(ikm_verification_queue(request.user, status=status), 25).get_page(request.GET.get("page"))
    return render(request, "profiles/verification_queue.html", {
        "page": page, "status": status, "statuses": VerificationStatus.choices})


@login_required
@require_POST
def ikm_verify(request, pk: int):
    ikm = get_object_or_404(IkmProfile.objects.select_related("kabupaten"), pk=pk)
    if not request.user.has_perm("profiles.verify_ikmprofile", ikm):
        raise PermissionDenied
    form = VerificationForm(request.POST)
    if form.is_valid():
        try:
            ikm_verification_set(ikm=ikm, by=request.user, status=form.cleaned_data["status"],
                                 note=form.cleaned_data["note"])
        except ProfileError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(ikm)s: %(status)s.") % {
                "ikm": ikm.name, "status": ikm.get_verification_status_display()})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/")
                    else reverse("profiles:ikm_detail", args=[ikm.pk]))


@login_required
@permission_required("profiles.import_ikms", raise_exception=True)
def ikm_import(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is larger than %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
        else:
            batch, _preview = ikm_batch_create(user=request.user, data=upload.read(), filename=upload.name)
            return redirect("profiles:ikm_import_preview", pk=batch.pk)
    return render(request, "profiles/ikm_import.html", {
        "form": form, "required_columns": REQUIRED_COLUMNS, "optional_columns": OPTIONAL_COLUMNS,
        "recent": ImportBatch.objects.filter(uploaded_by=request.user, kind=ImportBatch.Kind.IKM)[:10]})


def _own_batch(request, pk: int) -> ImportBatch:
    if not request.user.has_perm("profiles.import_ikms"):
        raise PermissionDenied
    return get_object_or_404(ImportBatch, pk=pk, uploaded_by=request.user, kind=ImportBatch.Kind.IKM)


@login_required
def ikm_import_preview(request, pk: int):
    batch = _own_batch(request, pk)
    preview = ikm_batch_preview(batch) if batch.status == ImportBatch.Status.PREVIEWED else None
    return render(request, "profiles/ikm_import_preview.html", {"batch": batch, "preview": preview})


@login_required
@require_POST
def ikm_import_decide(request, pk: int):
    batch = _own_batch(request, pk)
    try:
        if request.POST.get("decision") == "commit":
            result = ikm_batch_commit(batch=batch, user=request.user)
            messages.success(request, _("Imported: %(c)d new, %(u)d updated, %(s)d rows skipped.") % {
                "c": result.created, "u": result.updated, "s": result.skipped})
        else:
            ikm_batch_cancel(batch=batch, user=request.user)
            messages.info(request, _("Import cancelled; nothing was written."))
    except ProfileError as exc:
        messages.error(request, str(exc))
    return redirect("profiles:ikm_import_preview", pk=batch.pk)


@login_required
def buyer_organisation_edit(request, pk: int):
    organisation = get_object_or_404(BuyerOrganisation, pk=pk)
    if not request.user.has_perm("profiles.change_buyerorganisation", organisation):
        raise PermissionDenied
    form = BuyerOrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            buyer_organisation_update(organisation=form.save(commit=False), by=request.user,
                                      logo_upload=form.cleaned_data.get("logo_upload"))
        except ValidationError as exc:
            form.add_error("logo_upload", exc)
        except ProfileError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("profiles:buyer_organisation_edit", pk=organisation.pk)
    return render(request, "profiles/buyerorganisation_edit.html", {"form": form, "organisation": organisation})


def phone_signup_view(request):
    """Sign up with a phone number; allauth's phone verification stage then sends and checks the SMS code."""
    from allauth.account.internal.flows.signup import complete_signup

    if request.user.is_authenticated:
        return redirect("profiles:dashboard")
    form = PhoneSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = phone_signup(phone=form.cleaned_data["phone"], password=form.cleaned_data["password1"],
                                language=getattr(request, "LANGUAGE_CODE", "id"))
        return complete_signup(request, user=user, email_verification="none")
    return render(request, "account/signup_phone.html", {"form": form})


# --- supplier groups ---------------------------------------------------------------------------------------


def _back(request, default: str):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


@login_required
@permission_required("profiles.create_group", raise_exception=True)
def group_list(request):
    """IKM owners: the groups they coordinate and their IKMs' memberships and invitations.
    Dinas staff: the groups of their region."""
    user = request.user
    return render(request, "profiles/group_list.html", {
        "coordinated": groups_coordinated_by(user) if user.is_ikm_owner else [],
        "memberships": memberships_of_owner(user) if user.is_ikm_owner else [],
        "regional": groups_in_region(user) if user.is_dinas_staff else [],
    })


@login_required
@permission_required("profiles.create_group", raise_exception=True)
def group_create_view(request):
    user = request.user
    posted = request.method == "POST"
    text = search_text(request.POST if posted else request.GET)
    kabupaten_choices = kabupaten_in_scope_list(user) if user.is_dinas_staff else None
    candidates = group_member_candidates(user, text)
    if posted and "search" in request.POST:
        # Searching for more members: show the form again as filled in, without judging it yet.
        initial = {name: request.POST.get(name, "") for name in ("name", "kind", "kabupaten", "owner_name",
                                                                  "description")}
        initial["members"] = request.POST.getlist("members")
        form = GroupCreateForm(initial=initial, kabupaten_choices=kabupaten_choices, candidates=candidates)
        return render(request, "profiles/group_create.html", {"form": form, "q": text})
    initial = {"kind": request.GET.get("kind", "")}
    own = [ikm for ikm in candidates if ikm.owner_id == user.pk]
    if own:
        initial["kabupaten"] = own[0].kabupaten_id
    elif user.scope_kabupaten_id:
        initial["kabupaten"] = user.scope_kabupaten_id
    form = GroupCreateForm(request.POST if posted else None, initial=initial, kabupaten_choices=kabupaten_choices,
                           candidates=candidates)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            group = group_create(by=user, name=data["name"], kind=data["kind"], kabupaten=data["kabupaten"],
                                 members=list(data["members"]), owner_name=data["owner_name"],
                                 description=data["description"])
        except ProfileError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The group %(name)s is formed.") % {"name": group.name})
            return redirect("profiles:group_detail", pk=group.pk)
    return render(request, "profiles/group_create.html", {"form": form, "q": text})


def _group_or_404(pk: int) -> IkmProfile:
    return get_object_or_404(IkmProfile.objects.select_related("kabupaten__province", "owner").exclude(
        group_kind=""), pk=pk)


def group_detail(request, pk: int):
    """A group's members and combined capabilities; for who manages it, invitations and member search."""
    group = _group_or_404(pk)
    can_manage = request.user.has_perm("profiles.manage_group", group)
    text = search_text(request.GET)
    context = {
        "group": group,
        "can_manage": can_manage,
        "memberships": list(group_memberships(group, current_only=not can_manage)),
        "processes": list(group.processes.select_related("group")),
        "materials": list(group.materials.all()),
        "q": text,
    }
    if can_manage and text.strip():
        context["candidates"] = group_member_candidates(request.user, text, exclude_group=group)
    return render(request, "profiles/group_detail.html", context)


@login_required
@require_POST
def group_member_add(request, pk: int):
    group = _group_or_404(pk)
    if not request.user.has_perm("profiles.manage_group", group):
        raise PermissionDenied
    raw = request.POST.get("member", "")
    member = IkmProfile.objects.filter(pk=raw).first() if raw.isdigit() else None
    if member is None:
        messages.error(request, _("Choose an IKM to add."))
    else:
        try:
            membership = group_invite(group=group, member=member, by=request.user)
        except ProfileError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, (_("%(name)s joined the group.") if membership.status == MembershipStatus.ACTIVE
                                       else _("%(name)s is invited.")) % {"name": member.name})
    return redirect("profiles:group_detail", pk=group.pk)


@login_required
@require_POST
def group_coordinator(request, pk: int):
    group = _group_or_404(pk)
    if not request.user.has_perm("profiles.manage_group", group):
        raise PermissionDenied
    try:
        group = group_coordinator_set(group=group, by=request.user, account=request.POST.get("account", "")[:254])
    except ProfileError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s now coordinates the group.") % {"name": group.owner})
    return redirect("profiles:group_detail", pk=group.pk)


MEMBERSHIP_ACTIONS = {
    # action: (permission, service, success message); manage_group is about the group, the other about the membership.
    "accept": ("profiles.answer_group_membership", membership_accept, gettext_lazy("You joined %(group)s.")),
    "decline": ("profiles.answer_group_membership", membership_decline, gettext_lazy("Invitation declined.")),
    "leave": ("profiles.answer_group_membership", membership_leave, gettext_lazy("%(member)s left %(group)s.")),
    "remove": ("profiles.manage_group", membership_remove, gettext_lazy("%(member)s is no longer in %(group)s.")),
}


@login_required
@require_POST
def membership_action(request, pk: int, action: str):
    if action not in MEMBERSHIP_ACTIONS:
        raise Http404
    permission, service, done = MEMBERSHIP_ACTIONS[action]
    membership = get_object_or_404(GroupMembership.objects.select_related("group__kabupaten", "member"), pk=pk)
    allowed = request.user.has_perm(permission, membership.group if permission == "profiles.manage_group"
                                    else membership)
    if not allowed:
        raise PermissionDenied
    try:
        service(membership=membership, by=request.user)
    except ProfileError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(done) % {"member": membership.member.name, "group": membership.group.name})
    return _back(request, reverse("profiles:group_list"))
