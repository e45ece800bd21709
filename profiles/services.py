"""Writing IKM profiles, products and verification decisions."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import VerificationStatus
from .exceptions import ProfileError
from .images import process_uploaded_image
from .models import IkmProfile, Product, ProductPhoto, User, VerificationRecord
from .rules import kabupaten_in_scope

MAX_PHOTOS_PER_PRODUCT = 6


# Past this many changed IKMs (a bulk import), one full recompute is cheaper than one run per IKM.
FULL_RECOMPUTE_FROM = 200


def ikm_changed(ikm_ids: list[int]) -> None:
    """After IKM profiles change: recombine the capabilities of the supplier groups they belong to (or
    are), refresh the directory search columns of the IKMs and of those groups now (in the caller's
    transaction) and, after commit, have the matching engine score them all again (debounced)."""
    from ikmportal.outbox.services import outbox_enqueue
    from matchmaking.recompute import request_ikm_recompute
    from matchmaking.search import ikm_search_index_refresh

    from .groups import group_capabilities_refresh, groups_of_members

    ikm_ids = list(ikm_ids)
    seen = set(ikm_ids)
    ikm_ids += [pk for pk in group_capabilities_refresh(groups_of_members(ikm_ids)) if pk not in seen]
    ikm_search_index_refresh(ikm_ids)
    if len(ikm_ids) >= FULL_RECOMPUTE_FROM:
        outbox_enqueue("matchmaking.suggestions_recompute_all")
    else:
        for ikm_id in ikm_ids:
            request_ikm_recompute(ikm_id)


@transaction.atomic
def ikm_create_for_owner(*, owner: User, name: str, kabupaten, owner_name: str = "", **fields) -> IkmProfile:
    """Create a pending IKM profile owned by a signed-in IKM owner.

    Side effects: one IkmProfile row.
    """
    if not owner.is_ikm_owner:
        raise ProfileError(_("Only IKM owner accounts can register an IKM."))
    ikm = IkmProfile(owner=owner, name=name, kabupaten=kabupaten, owner_name=owner_name or owner.name, **fields)
    ikm.full_clean()
    ikm.save()
    ikm_changed([ikm.pk])
    return ikm


@transaction.atomic
def ikm_verification_set(*, ikm: IkmProfile, by: User, status: str, note: str = "") -> VerificationRecord:
    """Move an IKM to verified or needs-revision (or back to pending) and record who, when and why.

    Raises ProfileError when the user's region does not cover the IKM or a revision has no note.
    """
    if not by.is_dinas_staff or not kabupaten_in_scope(by, ikm.kabupaten):
        raise ProfileError(_("This IKM is outside your region."))
    if status not in VerificationStatus.values:
        raise ProfileError(_("Unknown verification state."))
    if status == VerificationStatus.NEEDS_REVISION and not note.strip():
        raise ProfileError(_("Say what the owner must revise."))
    locked = IkmProfile.objects.select_for_update().get(pk=ikm.pk)
    record = VerificationRecord.objects.create(
        ikm=locked, from_status=locked.verification_status, to_status=status, note=note.strip(), by=by
    )
    locked.verification_status = status
    locked.verified_at = timezone.now() if status == VerificationStatus.VERIFIED else None
    locked.save(update_fields=["verification_status", "verified_at", "updated_at"])
    ikm.verification_status, ikm.verified_at = locked.verification_status, locked.verified_at
    ikm_changed([ikm.pk])
    return record


@transaction.atomic
def product_photo_add(*, product: Product, upload) -> ProductPhoto:
    """Check an uploaded photo with Pillow and store it without EXIF, resized, with a thumbnail.

    Raises django's ValidationError (bad image) or ProfileError (too many photos); nothing is stored then.
    """
    if product.photos.count() >= MAX_PHOTOS_PER_PRODUCT:
        raise ProfileError(_("A product can have at most %(n)d photos.") % {"n": MAX_PHOTOS_PER_PRODUCT})
    processed = process_uploaded_image(upload, basename=f"ikm{product.ikm_id}-p{product.pk}")
    photo = ProductPhoto(product=product, width=processed.width, height=processed.height)
    photo.image.save(processed.image.name, processed.image, save=False)
    photo.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    photo.save()
    return photo


def product_photo_delete(*, photo: ProductPhoto) -> None:
    image, thumbnail = photo.image, photo.thumbnail
    photo.delete()
    transaction.on_commit(lambda: (image.delete(save=False), thumbnail.delete(save=False)))


@transaction.atomic
def buyer_organisation_update(*, organisation, by: User, logo_upload=None) -> None:
    """Save an organisation edited by its own staff; a new logo is checked and re-encoded like photos."""
    if not by.has_perm("profiles.change_buyerorganisation", organisation):
        raise ProfileError(_("You act only for your own organisation."))
    if logo_upload is not None:
        processed = process_uploaded_image(logo_upload, basename=f"buyer{organisation.pk}-logo")
        organisation.logo.save(processed.thumbnail.name, processed.thumbnail, save=False)
    organisation.full_clean()
    organisation.save()


def phone_signup(*, phone: str, password: str, language: str = "id") -> User:
    """Create an IKM owner account identified by a phone number; the number is verified at sign-in."""
    from .enums import Role

    user = User(email=None, phone=phone, phone_verified=False, role=Role.IKM_OWNER, language=language)
    user.set_password(password)
    user.save()
    return user
