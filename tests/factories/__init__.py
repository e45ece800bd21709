"""factory_boy factories for the models tests need; reference data (regions, taxonomy) comes from
the data migration, so factories look it up instead of inventing it."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from profiles.enums import Role
from profiles.models import BuyerOrganisation, IkmProfile, Kabupaten, Product

PASSWORD = "correct-horse-battery-9"


def kabupaten(name: str) -> Kabupaten:
    return Kabupaten.objects.get(name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.id")
    name = factory.Faker("name", locale="id_ID")
    role = Role.IKM_OWNER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.get_or_create(user=self, email=self.email,
                                               defaults={"verified": True, "primary": True})


class BuyerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerOrganisation

    name = factory.Sequence(lambda n: f"PT Pembeli {n}")
    type = "bumn"


class BuyerStaffFactory(UserFactory):
    role = Role.BUYER_STAFF
    buyer_organisation = factory.SubFactory(BuyerOrganisationFactory)


class _WithTotp(UserFactory):
    """A user who has set up TOTP (required for the role) unless totp=False."""

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(self, generate_totp_secret())


class DinasStaffFactory(_WithTotp):
    """A Dinas user of Kabupaten Tegal who has set up TOTP (required for the role) unless totp=False."""

    role = Role.DINAS_STAFF
    scope_kabupaten = factory.LazyFunction(lambda: kabupaten("Kabupaten Tegal"))


class AdminFactory(_WithTotp):
    """A site administrator (staff, superuser) who has set up TOTP unless totp=False."""

    role = Role.ADMIN
    is_staff = True
    is_superuser = True


class IkmProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IkmProfile

    name = factory.Sequence(lambda n: f"Logam Karya {n}")
    owner_name = "Darsono"
    phone = "+6281234567801"
    email = factory.Sequence(lambda n: f"ikm{n}@example.id")
    kabupaten = factory.LazyFunction(lambda: kabupaten("Kabupaten Tegal"))
    owner = factory.SubFactory(UserFactory)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    ikm = factory.SubFactory(IkmProfileFactory)
    name = "Rumah pompa"


class NeedFactory(factory.django.DjangoModelFactory):
    """An open need of a new buyer organisation; add requirements with NeedProcess etc. or `make_need`."""

    class Meta:
        model = "matchmaking.Need"

    buyer = factory.SubFactory(BuyerOrganisationFactory)
    title = factory.Sequence(lambda n: f"Kebutuhan {n}")
    status = "open"
    delivery_kabupaten = factory.LazyFunction(lambda: kabupaten("Kabupaten Tegal"))



def _in_days(days: int):
    import datetime

    return datetime.date.today() + datetime.timedelta(days=days)


def _from_now(days: int):
    import datetime

    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=days)


def _clock(hour: int):
    import datetime

    return datetime.time(hour, 0)


class EventFactory(factory.django.DjangoModelFactory):
    """A temu bisnis in Kabupaten Tegal open for registration: 9:00-12:00 in 30-minute slots (6), 3 tables."""

    class Meta:
        model = "events.Event"

    title = factory.Sequence(lambda n: f"Temu Bisnis Logam {n}")
    organiser = "Dinas Perindustrian Kabupaten Tegal"
    kabupaten = factory.LazyFunction(lambda: kabupaten("Kabupaten Tegal"))
    venue = "Gedung LIK Takaru"
    start_date = factory.LazyFunction(lambda: _in_days(14))
    end_date = factory.SelfAttribute("start_date")
    registration_opens = factory.LazyFunction(lambda: _from_now(-1))
    registration_closes = factory.LazyFunction(lambda: _from_now(7))
    meeting_minutes = 30
    session_start = factory.LazyFunction(lambda: _clock(9))
    session_end = factory.LazyFunction(lambda: _clock(12))
    tables = 3
    status = "registration_open"


class IkmRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Registration"

    event = factory.SubFactory(EventFactory)
    kind = "ikm"
    ikm = factory.SubFactory(IkmProfileFactory)
    status = "approved"


class BuyerRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Registration"

    event = factory.SubFactory(EventFactory)
    kind = "buyer"
    buyer = factory.SubFactory(BuyerOrganisationFactory)
    seats = 1
    status = "approved"
