"""Benchmark: the Dinas outcomes dashboard on a national-sized data set in PostgreSQL.

Seeds 20,000 IKMs, 5,000 needs (50,000 suggestions, answers), 50 temu-bisnis events with 100,000
meetings (registrations, requests, outcomes) and 10,000 partnerships with purchase orders, with
`bulk_create`, then runs ANALYZE as autovacuum would. It then requests `/dasbor/` through Django's full
request handler (middleware, session, the two-factor check, templates) as a national Dinas user and as a
kabupaten-scoped one — each time with the figures computed (cache cleared before every request) and
then as reused from the five-minute cache — and a trivial view as the same user in the same process,
and prints median and p95. Target: the dashboard renders in ≤ 300 ms (p95) with its figures computed.

Throwaway: it refuses to run unless the database holds no IKMs, needs, events or partnerships (a
dedicated database, e.g. `ikm_dash_bench`), and afterwards empties those tables again (TRUNCATE … CASCADE)
unless `--keep`. With `--force` it runs on a database that has data, and then leaves everything in place.
Run it with production settings (DEBUG off: cached templates), e.g.
`DEBUG=false SECRET_KEY=... SECURE_SSL=false manage.py bench_dashboard`.
"""

import random
import statistics
import time
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone, translation

from events.enums import FOLLOW_UP_RESULTS, MeetingStatus, OutcomeResult, RegistrationStatus
from events.models import Event, Meeting, MeetingRequest, Outcome, Registration
from matchmaking.dashboard.selectors import DashboardScope, _cache_key, default_period
from matchmaking.enums import Answer, NeedStatus, PartnershipStage
from matchmaking.models import Need, Partnership, PurchaseOrder, Suggestion, SuggestionAnswer
from profiles.enums import Role, VerificationStatus
from profiles.models import BuyerOrganisation, IkmProfile, Kabupaten, Process, Sentra, User


def _trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial", _trivial), path("", include("ikmportal.urls"))]

BENCH_EMAIL = "bench-dashboard-{}@example.id"
HOME = "Kabupaten Tegal"  # the kabupaten-scoped user's region; it gets a tenth of the data
TABLES = ("profiles_ikmprofile", "matchmaking_need", "events_event", "matchmaking_partnership")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Time the Dinas outcomes dashboard on 20,000 IKMs, 5,000 needs, 100,000 meetings, 10,000 partnerships."

    def add_arguments(self, parser):
        parser.add_argument("--ikms", type=int, default=20_000)
        parser.add_argument("--needs", type=int, default=5_000)
        parser.add_argument("--meetings", type=int, default=100_000)
        parser.add_argument("--partnerships", type=int, default=10_000)
        parser.add_argument("--repeat", type=int, default=20, help="requests per user")
        parser.add_argument("--keep", action="store_true", help="keep the seeded rows (to study query plans)")
        parser.add_argument("--force", action="store_true", help="run on a database with data (rows are kept)")
        parser.add_argument("--no-seed", action="store_true", help="time only (after an earlier --keep run)")

    def handle(self, *args, keep: bool, force: bool, no_seed: bool, repeat: int, **sizes):
        if connection.vendor != "postgresql":
            raise CommandError("bench_dashboard measures PostgreSQL: set DATABASE_URL to a PostgreSQL database")
        has_data = any(model.objects.exists() for model in (IkmProfile, Need, Event, Partnership))
        if has_data and not (force or no_seed):
            raise CommandError("the database already holds IKMs, needs, events or partnerships: use a dedicated "
                               "database (createdb ikm_dash_bench; migrate), or --force to add to it and keep all")
        try:
            if not no_seed:
                self._seed(**{k: sizes[k] for k in ("ikms", "needs", "meetings", "partnerships")})
            self._time_pages(repeat)
        finally:
            if not (keep or has_data):
                self._clean()

    # --- seeding -----------------------------------------------------------------------------------------

    def _seed(self, *, ikms: int, needs: int, meetings: int, partnerships: int) -> None:
        rng = random.Random(7)
        started = time.perf_counter()
        now = timezone.now()
        today = timezone.localdate()

        def moment(days_back: int) -> datetime:
            return now - timedelta(days=rng.uniform(0, days_back))

        home = Kabupaten.objects.get(name=HOME)
        others = list(Kabupaten.objects.exclude(pk=home.pk).order_by("?")[:60])

        def region() -> Kabupaten:
            return home if rng.random() < 0.1 else rng.choice(others)

        processes = list(Process.objects.values_list("pk", flat=True))
        with transaction.atomic():
            sentra = Sentra.objects.bulk_create([Sentra(name=f"Bench Sentra {i}", kabupaten=region())
                                                 for i in range(200)])
            buyers = BuyerOrganisation.objects.bulk_create([
                BuyerOrganisation(name=f"Bench Buyer {i}", type=rng.choice(["bumn", "swasta", "pma", "pemerintah"]),
                                  kabupaten=region()) for i in range(300)])
            rows = []
            for i in range(ikms):
                created = moment(730)
                verified = rng.random() < 0.6
                s = rng.choice(sentra) if rng.random() < 0.4 else None
                rows.append(IkmProfile(
                    name=f"Bench IKM {i}", owner_name="Pemilik", kabupaten_id=s.kabupaten_id if s else region().pk,
                    sentra=s, employees=rng.randint(2, 300), capacity_tons_month=Decimal(rng.randint(1, 80)),
                    verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
                    verified_at=created + timedelta(days=rng.uniform(1, 30)) if verified else None))
            ikm_rows = IkmProfile.objects.bulk_create(rows, batch_size=2000)
            # created_at is auto_now_add: spread it over two years afterwards, in one statement.
            with connection.cursor() as cursor:
                cursor.execute("UPDATE profiles_ikmprofile SET created_at = COALESCE(verified_at, now()) "
                               "- (random() * interval '200 days')")
            through = IkmProfile.processes.through
            through.objects.bulk_create([through(ikmprofile_id=ikm.pk, process_id=p) for ikm in ikm_rows
                                         for p in rng.sample(processes, rng.randint(1, 4))], batch_size=10_000)
            ikm_ids = [ikm.pk for ikm in ikm_rows]
            ikm_kab = {ikm.pk: ikm.kabupaten_id for ikm in ikm_rows}

            statuses = [NeedStatus.OPEN] * 6 + [NeedStatus.CLOSED, NeedStatus.AWARDED, NeedStatus.DRAFT]
            need_rows = Need.objects.bulk_create([Need(
                buyer=rng.choice(buyers), title=f"Bench need {i}", status=rng.choice(statuses),
                delivery_kabupaten=region() if rng.random() < 0.9 else None, opened_at=moment(540),
                import_substitution=rng.random() < 0.3, estimated_value_idr=rng.randint(1, 500) * 10_000_000)
                for i in range(needs)], batch_size=2000)
            suggestions, answers = [], []
            for need in need_rows:
                for rank, ikm in enumerate(rng.sample(ikm_ids, 10), start=1):
                    suggestions.append(Suggestion(need=need, ikm_id=ikm, rank=rank, score=rng.uniform(0.2, 1.0)))
                    if rng.random() < 0.3:
                        for side in ("buyer", "ikm"):
                            if rng.random() < 0.7:
                                answers.append(SuggestionAnswer(
                                    need=need, ikm_id=ikm, side=side, at=moment(365),
                                    answer=Answer.INTERESTED if rng.random() < 0.6 else Answer.NOT_RELEVANT))
            Suggestion.objects.bulk_create(suggestions, batch_size=10_000)
            SuggestionAnswer.objects.bulk_create(answers, batch_size=10_000)
        self.stdout.write(f"seeded {ikms} IKMs, {needs} needs, {len(suggestions)} suggestions, {len(answers)} "
                          f"answers in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        event_count, per_event = 50, max(1, meetings // 50)
        with transaction.atomic():
            events = Event.objects.bulk_create([Event(
                title=f"Bench Temu Bisnis {i}", organiser="Dinas", kabupaten=home if i % 10 == 0 else rng.choice(others),
                venue="Gedung", start_date=today - timedelta(days=7 * i + 1), end_date=today - timedelta(days=7 * i),
                registration_opens=now - timedelta(days=7 * i + 30), registration_closes=now - timedelta(days=7 * i + 5),
                tables=60, status="finished") for i in range(event_count)])
            ikm_regs, buyer_regs = [], []
            for event in events:
                ikm_regs.append([Registration(event=event, kind="ikm", ikm_id=ikm, status=RegistrationStatus.APPROVED
                                              if rng.random() < 0.9 else RegistrationStatus.PENDING)
                                 for ikm in rng.sample(ikm_ids, 400)])
                buyer_regs.append([Registration(event=event, kind="buyer", buyer=b, status=RegistrationStatus.APPROVED)
                                   for b in rng.sample(buyers, 60)])
            Registration.objects.bulk_create([r for regs in ikm_regs + buyer_regs for r in regs], batch_size=10_000)
            requests, pairs = [], []
            for event, ikm_side, buyer_side in zip(events, ikm_regs, buyer_regs, strict=True):
                chosen = rng.sample(range(len(ikm_side) * len(buyer_side)), per_event)
                for n in chosen:
                    a, b = ikm_side[n // len(buyer_side)], buyer_side[n % len(buyer_side)]
                    requests.append(MeetingRequest(event=event, requester=a, recipient=b, status="accepted"))
                    pairs.append((a.ikm_id, b.buyer_id))
            MeetingRequest.objects.bulk_create(requests, batch_size=10_000)
            meeting_statuses = [MeetingStatus.HELD] * 8 + [MeetingStatus.NO_SHOW, MeetingStatus.SCHEDULED]
            meeting_rows = Meeting.objects.bulk_create([
                Meeting(event_id=r.event_id, request=r, slot=i % 16, table=i % 60, status=rng.choice(meeting_statuses))
                for i, r in enumerate(requests)], batch_size=10_000)
            results = list(OutcomeResult.values)
            Outcome.objects.bulk_create([
                Outcome(meeting=m, side=side, result=rng.choice(results)) for m in meeting_rows
                if m.status == MeetingStatus.HELD for side in ("ikm", "buyer") if rng.random() < 0.65],
                batch_size=10_000)
            # What outcome_record keeps on each meeting.
            Meeting.objects.filter(Exists(Outcome.objects.filter(meeting=OuterRef("pk"),
                                                                 result__in=FOLLOW_UP_RESULTS))).update(followed_up=True)

            stages = list(PartnershipStage.values)
            taken, partnership_rows = set(), []
            held = [(m, pair) for m, pair in zip(meeting_rows, pairs, strict=True) if m.status == MeetingStatus.HELD]
            rng.shuffle(held)
            for m, (ikm, buyer) in held:
                if len(partnership_rows) >= partnerships * 0.8:
                    break
                if (ikm, buyer) not in taken:
                    taken.add((ikm, buyer))
                    partnership_rows.append(Partnership(ikm_id=ikm, buyer_id=buyer, origin="meeting", meeting=m,
                                                        event_id=m.event_id, stage=rng.choice(stages),
                                                        created_at=moment(365)))
            while len(partnership_rows) < partnerships:
                ikm, buyer = rng.choice(ikm_ids), rng.choice(buyers).pk
                if (ikm, buyer) not in taken:
                    taken.add((ikm, buyer))
                    partnership_rows.append(Partnership(ikm_id=ikm, buyer_id=buyer, origin="direct",
                                                        stage=rng.choice(stages), created_at=moment(540)))
            Partnership.objects.bulk_create(partnership_rows, batch_size=5000)
            orders = [PurchaseOrder(partnership=p, value_idr=Decimal(rng.randint(1, 200) * 5_000_000),
                                    order_date=today - timedelta(days=rng.randint(0, 500)))
                      for p in partnership_rows if p.stage in (PartnershipStage.FIRST_ORDER, PartnershipStage.ONGOING)
                      for _ in range(rng.randint(1, 4))]
            PurchaseOrder.objects.bulk_create(orders, batch_size=10_000)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would: statistics and visibility map
        home_ikms = sum(1 for k in ikm_kab.values() if k == home.pk)
        self.stdout.write(f"seeded {len(events)} events, {len(meeting_rows)} meetings, {len(partnership_rows)} "
                          f"partnerships, {len(orders)} orders in {time.perf_counter() - started:.1f} s "
                          f"({home_ikms} IKMs in {HOME})")

    def _clean(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        Sentra.objects.filter(name__startswith="Bench Sentra ").delete()
        BuyerOrganisation.objects.filter(name__startswith="Bench Buyer ").delete()
        User.objects.filter(email__startswith="bench-dashboard-").delete()
        self.stdout.write("removed the seeded rows again")

    # --- timing ---------------------------------------------------------------------------------------------

    def _dinas(self, label: str, **scope) -> User:
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        user, created = User.objects.get_or_create(email=BENCH_EMAIL.format(label),
                                                   defaults={"role": Role.DINAS_STAFF, **scope})
        if created:
            TOTP.activate(user, generate_totp_secret())  # Dinas staff must have two-factor set up
        return user

    def _time_pages(self, repeat: int) -> None:
        users = [("national Dinas", self._dinas("national")),
                 (f"{HOME} Dinas", self._dinas("kabupaten", scope_kabupaten=Kabupaten.objects.get(name=HOME)))]
        storages = {**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # no collectstatic needed
        rows = []
        with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False,
                               STORAGES=storages):
            for label, user in users:
                client = Client()
                client.force_login(user)
                for _ in range(3):  # warm caches and connections
                    client.get("/bench/trivial")
                    client.get("/dasbor/")
                rows.append((f"dashboard, {label}, figures computed", self._time(client, "/dasbor/", repeat, cold_for=user)))
                rows.append((f"dashboard, {label}, figures cached", self._time(client, "/dasbor/", repeat)))
                rows.append((f"trivial view (baseline), {label}", self._time(client, "/bench/trivial", repeat * 2)))
        self.stdout.write(f"\n{'request':<58} {'median ms':>10} {'p95 ms':>8}")
        for label, timings in rows:
            self.stdout.write(f"{label:<58} {statistics.median(timings):>10.1f} {_percentile(timings, 0.95):>8.1f}")
        worst = max(_percentile(t, 0.95) for label, t in rows if label.endswith("computed"))
        self.stdout.write(f"\nworst dashboard p95, figures computed {worst:.1f} ms (target ≤ 300 ms): "
                          f"{'met' if worst <= 300 else 'NOT met'}")

    def _time(self, client, url, times, *, cold_for: User | None = None) -> list[float]:
        key = None
        if cold_for is not None:
            with translation.override(settings.LANGUAGE_CODE):  # the page's language without a cookie
                key = _cache_key(DashboardScope(cold_for, *default_period()))
        timings = []
        for _ in range(times):
            if key:
                cache.delete(key)  # this request computes all figures (no reuse of the 5-minute cache)
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        return timings
