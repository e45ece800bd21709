"""The dashboard's figures, each one computed by an aggregate query in the database.

Every table is one function `(scope) -> Table`; the page calls them all, an export calls one. The number
of queries is constant: no figure loops over rows in Python (only over the handful of grouped rows).

Definitions (also explained on the page):

- **Region**: the Dinas user's scope (`region_scope_q`), narrowed by an optional province or kabupaten the
  filter form allows only inside that scope. IKMs count by their kabupaten; needs by their delivery
  kabupaten (with national scope and no narrowing, every need, also those without one); events by the
  event's kabupaten; partnerships and purchase orders by the partnership IKM's kabupaten.
- **Period**: from/to dates in Asia/Jakarta, both included (default: the first day of the month eleven
  months ago to today, i.e. twelve calendar months).
- **IKMs**: *registered* = profile created in the period; *total* = created before the period's end;
  *verified* = verified now, with `verified_at` in the period (or, for the total, before its end).
  Employees and capacity are summed over the total. "By process group" counts each IKM once per group.
- **Needs**: *opened* = `opened_at` in the period; *open now* = status open today; import substitution
  and estimated value are over the needs open now.
- **Matching** (needs in the region): needs open now with at least three good suggestions (score ≥
  `GOOD_SUGGESTION_SCORE`); *answered* = distinct (need, IKM) pairs with any answer in the period; *mutual*
  = pairs both sides answered "interested", the later of the two answers in the period.
- **Event funnel** (events in the region starting in the period): approved registrations (both sides) →
  meetings held → held meetings with an outcome of follow-up or better from either side → partnerships
  that came from a meeting of those events → of those, partnerships with at least one purchase order.
- **Partnerships**: created in the period, by current stage. **Orders**: by order date in the period,
  summed per calendar month.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import repeat
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events.enums import MeetingStatus, ParticipantKind, RegistrationStatus
from events.models import Event, Meeting, Registration
from profiles.enums import BuyerType, GroupKind, VerificationStatus
from profiles.models import IkmProfile, ProcessGroup, User
from profiles.selectors import region_scope_q

from ..enums import PARTNERSHIP_ROAD, Answer, AnswerSide, NeedStatus, PartnershipStage
from ..models import Need, Partnership, PurchaseOrder, Suggestion, SuggestionAnswer
from ..selectors import GOOD_SUGGESTION_SCORE
from .freshness import figures_generation

#: Needs with at least this many good suggestions count as well matched.
WELL_MATCHED_SUGGESTIONS = 3

TEXT, INTEGER, DECIMAL, MONEY = "text", "integer", "decimal", "money"


@dataclass(frozen=True)
class Column:
    label: Any
    kind: str = INTEGER


@dataclass
class Table:
    """Rows of plain values, as shown beneath a chart and exported; `chart` names what to draw."""

    key: str
    title: Any
    columns: list[Column]
    rows: list[list[Any]]
    explanation: Any = ""
    chart: str = "bars"  # "bars" (label column 0, value column `chart_value`), "columns" (over months), ""
    chart_value: int = 1
    footer: list[Any] | None = None


@dataclass(frozen=True)
class DashboardScope:
    """Who is looking, and the period and narrowing they chose (already validated against their scope)."""

    user: User
    date_from: date
    date_to: date
    province_id: str | None = None
    kabupaten_id: str | None = None

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    def region_q(self, kabupaten_field: str) -> Q:
        q = region_scope_q(self.user, kabupaten_field=kabupaten_field)
        if self.kabupaten_id:
            q &= Q(**{f"{kabupaten_field}_id": self.kabupaten_id})
        elif self.province_id:
            q &= Q(**{f"{kabupaten_field}__province_id": self.province_id})
        return q

    def in_period(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})

    def dates_in_period(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.date_from, f"{field_name}__lte": self.date_to})


def default_period(today: date | None = None) -> tuple[date, date]:
    """Twelve calendar months up to today (Asia/Jakarta): the 1st of the month eleven months ago → today."""
    today = today or timezone.localdate()
    month = today.year * 12 + today.month - 1 - 11
    return date(month // 12, month % 12 + 1, 1), today


# --- IKMs -----------------------------------------------------------------------------------------------

def _ikms(scope: DashboardScope):
    # Supplier groups (koperasi, konsorsium) are not IKMs of their own: their members are counted, and
    # counting the group too would count their employees and capacity twice.
    return IkmProfile.objects.filter(scope.region_q("kabupaten"), created_at__lt=scope.end,
                                     group_kind=GroupKind.SINGLE)


def _verified_by_end(scope: DashboardScope) -> Q:
    # Profiles verified before verification dates were kept (or loaded as verified) count as verified all along.
    return Q(verified_at__lt=scope.end) | Q(verified_at__isnull=True)


def _ikm_counts(scope: DashboardScope, *, distinct: bool = False) -> dict:
    verified = Q(verification_status=VerificationStatus.VERIFIED)
    return {
        "total": Count("id", distinct=distinct),
        "registered": Count("id", distinct=distinct, filter=scope.in_period("created_at")),
        "verified_total": Count("id", distinct=distinct, filter=verified & _verified_by_end(scope)),
        "verified": Count("id", distinct=distinct, filter=verified & scope.in_period("verified_at")),
    }


def _ikm_columns(first: Any) -> list[Column]:
    return [Column(first, TEXT), Column(_("Total")), Column(_("Registered in period")),
            Column(_("Verified (total)")), Column(_("Verified in period"))]


def _ikm_summary(scope: DashboardScope, by_kabupaten: list[dict]) -> Table:
    def total(key):
        return sum(g[key] or 0 for g in by_kabupaten)

    rows = [
        [_("IKMs registered in the period"), total("registered")],
        [_("IKMs registered, total to the period's end"), total("total")],
        [_("IKMs verified in the period"), total("verified")],
        [_("IKMs verified, total to the period's end"), total("verified_total")],
        [_("Employees (total of the IKMs)"), total("employees")],
        [_("Capacity, tons per month (total of the IKMs)"), total("capacity")],
    ]
    return Table("ikm-summary", _("IKMs"), [Column(_("Figure"), TEXT), Column(_("Value"), DECIMAL)], rows,
                 explanation=_("Registered: profile created in the period. Verified: verified now, and the "
                               "verification date lies in the period. Totals count every IKM of the region "
                               "created before the period's end. Supplier groups are not counted; their members are."), chart="")


def _ikms_per_kabupaten(scope: DashboardScope) -> list[dict]:
    return list(_ikms(scope).values("kabupaten_id", "kabupaten__name")
                .annotate(**_ikm_counts(scope), employees=Sum("employees"), capacity=Sum("capacity_tons_month"))
                .order_by("-total", "kabupaten__name"))


def ikm_summary(scope: DashboardScope) -> Table:
    """The region's totals: the sums of the per-kabupaten figures (one grouped query, summed here)."""
    return _ikm_summary(scope, _ikms_per_kabupaten(scope))


def _ikms_by_kabupaten(grouped: list[dict]) -> Table:
    rows = [[g["kabupaten__name"], g["total"], g["registered"], g["verified_total"], g["verified"]] for g in grouped]
    return Table("ikms-by-kabupaten", _("IKMs by regency/city"), _ikm_columns(_("Regency/city")), rows,
                 explanation=_("Every IKM of the region by its regency/city."))


def ikms_by_kabupaten(scope: DashboardScope) -> Table:
    return _ikms_by_kabupaten(_ikms_per_kabupaten(scope))


def ikms_by_sentra(scope: DashboardScope) -> Table:
    grouped = (_ikms(scope).values("sentra_id", "sentra__name").annotate(**_ikm_counts(scope))
               .order_by("-total", "sentra__name"))
    rows = [[g["sentra__name"] or _("(not in a sentra)"), g["total"], g["registered"], g["verified_total"],
             g["verified"]] for g in grouped]
    return Table("ikms-by-sentra", _("IKMs by sentra"), _ikm_columns(_("Sentra")), rows,
                 explanation=_("A sentra is a cluster of IKMs of one trade in one place."))


def ikms_by_process_group(scope: DashboardScope) -> Table:
    # Distinct (IKM, group) pairs first — an IKM with two processes of a group is one IKM of that group —
    # then plain counts per group. Django cannot group over a subquery, so the outer query is SQL; the inner
    # one (and with it the region rule) is the ORM's, with its parameters.
    verified = Q(verification_status=VerificationStatus.VERIFIED)
    pairs = _ikms(scope).filter(processes__isnull=False).annotate(
        pair_group=F("processes__group_id"),
        # Narrow rows (ids and flags) keep the de-duplication in memory.
        is_registered=ExpressionWrapper(scope.in_period("created_at"), output_field=BooleanField()),
        is_verified=ExpressionWrapper(verified & _verified_by_end(scope), output_field=BooleanField()),
        is_verified_in_period=ExpressionWrapper(verified & scope.in_period("verified_at"), output_field=BooleanField()),
    ).values("id", "pair_group", "is_registered", "is_verified", "is_verified_in_period").order_by().distinct()
    inner, params = pairs.query.sql_with_params()
    sql = ("SELECT pair_group, COUNT(*), COUNT(*) FILTER (WHERE is_registered), COUNT(*) FILTER (WHERE is_verified), "
           f"COUNT(*) FILTER (WHERE is_verified_in_period) FROM ({inner}) AS pairs GROUP BY pair_group")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counted = cursor.fetchall()
    groups = {g.pk: g for g in ProcessGroup.objects.all()}
    grouped = [{"processes__group_id": row[0], "total": row[1], "registered": row[2], "verified_total": row[3],
                "verified": row[4]} for row in sorted(counted, key=lambda r: (groups[r[0]].position, r[0]))]
    rows = [[groups[g["processes__group_id"]].name, g["total"],
             g["registered"], g["verified_total"], g["verified"]] for g in grouped]
    return Table("ikms-by-process-group", _("IKMs by process group"), _ikm_columns(_("Process group")), rows,
                 explanation=_("An IKM with processes in several groups counts once in each of them."))


# --- Needs ----------------------------------------------------------------------------------------------

def _needs(scope: DashboardScope):
    return Need.objects.filter(scope.region_q("delivery_kabupaten"))


def needs_by_buyer_type(scope: DashboardScope) -> Table:
    open_now = Q(status=NeedStatus.OPEN)
    substitution = open_now & Q(import_substitution=True)
    grouped = {g["buyer__type"]: g for g in _needs(scope).values("buyer__type").annotate(
        opened=Count("id", filter=scope.in_period("opened_at")), open=Count("id", filter=open_now),
        substitution=Count("id", filter=substitution),
        substitution_value=Sum("estimated_value_idr", filter=substitution),
    ).order_by()}
    rows = []
    for value, label in BuyerType.choices:
        g = grouped.get(value, {})
        rows.append([label, g.get("opened", 0), g.get("open", 0), g.get("substitution", 0),
                     g.get("substitution_value") or 0])
    footer = [_("All buyer types")] + [sum(row[i] for row in rows) for i in range(1, 5)]
    return Table("needs-by-buyer-type", _("Buyer needs by buyer type"),
                 [Column(_("Buyer type"), TEXT), Column(_("Opened in period")), Column(_("Open now")),
                  Column(_("Import substitution, open now")),
                  Column(_("Estimated value of import substitution (Rp)"), MONEY)],
                 rows, footer=footer, chart_value=2,
                 explanation=_("Needs delivered in the region. Import substitution: the part is imported today; "
                               "its estimated annual value is the buyer's own estimate."))


# --- Matching -------------------------------------------------------------------------------------------

def matching(scope: DashboardScope) -> Table:
    open_needs = _needs(scope).filter(status=NeedStatus.OPEN)
    # Only the region's open needs' suggestions are grouped (not every stored suggestion).
    well_matched = (Suggestion.objects.filter(need__in=open_needs.values("pk"), score__gte=GOOD_SUGGESTION_SCORE)
                    .values("need_id").annotate(good=Count("id")).filter(good__gte=WELL_MATCHED_SUGGESTIONS)
                    .values("need_id"))
    needs = open_needs.aggregate(open=Count("id"), well_matched=Count("id", filter=Q(pk__in=well_matched)))
    answers = SuggestionAnswer.objects.filter(scope.region_q("need__delivery_kabupaten"))
    answered = answers.filter(scope.in_period("at")).values("need_id", "ikm_id").order_by().distinct().count()
    mutual = (answers.filter(answer=Answer.INTERESTED).values("need_id", "ikm_id")
              .annotate(sides=Count("side", distinct=True), last=Max("at"))
              .filter(sides=len(AnswerSide.choices), last__gte=scope.start, last__lt=scope.end).count())
    rows = [
        [_("Needs open now"), needs["open"]],
        [_("… with at least 3 good suggestions"), needs["well_matched"]],
        [_("Suggestions answered in the period (need–IKM pairs)"), answered],
        [_("Mutual matches in the period (both sides interested)"), mutual],
    ]
    return Table("matching", _("Matching"), [Column(_("Figure"), TEXT), Column(_("Value"))], rows,
                 explanation=_("A good suggestion scores at least %(score)s. Answered: the buyer or the IKM "
                               "answered the suggestion. Mutual: both said they are interested.")
                 % {"score": f"{GOOD_SUGGESTION_SCORE:.2f}"})


# --- Events ---------------------------------------------------------------------------------------------

def event_funnel(scope: DashboardScope) -> Table:
    events = Event.objects.filter(scope.region_q("kabupaten"), scope.dates_in_period("start_date"))
    event_ids = events.values("pk")
    registrations = Registration.objects.filter(event__in=event_ids, status=RegistrationStatus.APPROVED).aggregate(
        total=Count("id"), ikm=Count("id", filter=Q(kind=ParticipantKind.IKM)),
        buyer=Count("id", filter=Q(kind=ParticipantKind.BUYER)), events=Count("event_id", distinct=True))
    # One pass over the meetings: `followed_up` is kept by outcome_record (either side: follow-up or better).
    meetings = Meeting.objects.filter(event__in=event_ids).aggregate(
        # COUNT(status), not COUNT(id): the (event, status, followed_up) index alone answers it.
        held=Count("status", filter=Q(status=MeetingStatus.HELD)),
        followed=Count("status", filter=Q(status=MeetingStatus.HELD, followed_up=True)))
    # The partnership service sets `event` to the meeting's event, so no join through 100,000 meetings.
    ordered = PurchaseOrder.objects.values("partnership_id")
    partnerships = Partnership.objects.filter(meeting__isnull=False, event__in=event_ids).aggregate(
        total=Count("id"), ordered=Count("id", filter=Q(pk__in=ordered)))
    rows = [
        [_("Approved registrations (IKMs and buyers)"), registrations["total"]],
        [_("Meetings held"), meetings["held"]],
        [_("Held meetings with a follow-up or better"), meetings["followed"]],
        [_("Partnerships from these meetings"), partnerships["total"]],
        [_("… of which reached a first purchase order"), partnerships["ordered"]],
    ]
    return Table("event-funnel", _("Temu bisnis funnel"), [Column(_("Step"), TEXT), Column(_("Count"))], rows,
                 explanation=_("Events in the region whose first day lies in the period: %(ikm)s IKM and "
                               "%(buyer)s buyer registrations approved. Follow-up or better: either side "
                               "recorded follow-up, sample, quotation or MoU.")
                 % {"ikm": registrations["ikm"], "buyer": registrations["buyer"]})


# --- Partnerships and orders ----------------------------------------------------------------------------

def partnerships_by_stage(scope: DashboardScope) -> Table:
    counts = dict(Partnership.objects.filter(scope.region_q("ikm__kabupaten"), scope.in_period("created_at"))
                  .values("stage").annotate(n=Count("id")).order_by().values_list("stage", "n"))
    labels = dict(PartnershipStage.choices)
    rows = [[labels[stage], counts.get(stage, 0)] for stage in (*PARTNERSHIP_ROAD, PartnershipStage.ENDED)]
    return Table("partnerships-by-stage", _("Partnerships by stage"),
                 [Column(_("Stage"), TEXT), Column(_("Partnerships"))], rows,
                 footer=[_("All stages"), sum(counts.values())],
                 explanation=_("Partnerships (kemitraan) of IKMs in the region created in the period, by the "
                               "stage they are at now."))


def _months(date_from: date, date_to: date) -> list[date]:
    months, current = [], date(date_from.year, date_from.month, 1)
    while current <= date_to:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def orders_by_month(scope: DashboardScope) -> Table:
    grouped = {g["month"]: g for g in PurchaseOrder.objects.filter(
        scope.region_q("partnership__ikm__kabupaten"), scope.dates_in_period("order_date"))
        .annotate(month=TruncMonth("order_date")).values("month")
        .annotate(orders=Count("id"), value=Sum("value_idr"), partnerships=Count("partnership_id", distinct=True))
        .order_by("month")}
    rows = []
    for month in _months(scope.date_from, scope.date_to):
        g = grouped.get(month, {})
        rows.append([month.strftime("%Y-%m"), g.get("value") or 0, g.get("orders", 0), g.get("partnerships", 0)])
    footer = [_("Total"), sum(r[1] for r in rows), sum(r[2] for r in rows), None]
    return Table("orders-by-month", _("Value of purchase orders by month"),
                 [Column(_("Month"), TEXT), Column(_("Order value (Rp)"), MONEY), Column(_("Orders")),
                  Column(_("Partnerships ordering"))], rows, footer=footer, chart="columns",
                 explanation=_("Purchase orders under partnerships of IKMs in the region, by order date."))


#: Every table of the dashboard, in page order; the keys are the export URLs' names.
TABLES = {
    "ikm-summary": ikm_summary,
    "ikms-by-kabupaten": ikms_by_kabupaten,
    "ikms-by-sentra": ikms_by_sentra,
    "ikms-by-process-group": ikms_by_process_group,
    "needs-by-buyer-type": needs_by_buyer_type,
    "matching": matching,
    "event-funnel": event_funnel,
    "partnerships-by-stage": partnerships_by_stage,
    "orders-by-month": orders_by_month,
}


def _ikm_tables(scope: DashboardScope) -> dict[str, Table]:
    """The summary and the per-kabupaten table share one grouped query."""
    per_kabupaten = _ikms_per_kabupaten(scope)
    return {"ikm-summary": _ikm_summary(scope, per_kabupaten), "ikms-by-kabupaten": _ikms_by_kabupaten(per_kabupaten)}


#: Rough relative cost of each piece of work on a national data set (measured with bench_dashboard), used
#: to give the parallel connections equal shares.
_JOB_COST = {"ikms-by-process-group": 65, "event-funnel": 45, "matching": 40, "ikm-tables": 20,
             "ikms-by-sentra": 15, "needs-by-buyer-type": 5, "orders-by-month": 5, "partnerships-by-stage": 4}


def _jobs() -> dict[str, Callable[[DashboardScope], dict[str, Table]]]:
    """The independent pieces of work, each returning its table(s) by key."""
    jobs = {key: (lambda scope, key=key: {key: TABLES[key](scope)}) for key in TABLES
            if key not in ("ikm-summary", "ikms-by-kabupaten")}
    return {"ikm-tables": _ikm_tables, **jobs}


def _shares(jobs: dict, workers: int) -> list[list]:
    """Deal the jobs out, costliest first, each to the connection with the least work so far."""
    shares: list[list] = [[] for _ in range(workers)]
    load = [0] * workers
    for key in sorted(jobs, key=lambda k: -_JOB_COST.get(k, 10)):
        lightest = load.index(min(load))
        shares[lightest].append(jobs[key])
        load[lightest] += _JOB_COST.get(key, 10)
    return shares


def _in_worker(jobs: list, scope: DashboardScope, language: str) -> dict[str, Table]:
    """Run a share of the jobs on this thread's own database connection, in the request's language; the
    connection is opened once for the share and closed at its end."""
    built: dict[str, Table] = {}
    try:
        with translation.override(language):
            for job in jobs:
                built.update(job(scope))
    finally:
        connection.close()
    return built


def _parallel_workers(scope: DashboardScope | None = None) -> int:
    """How many database connections compute the figures at once.

    PostgreSQL outside a transaction only (inside one, other connections would not see its writes; SQLite
    has one writer and gains nothing), and only for a region wider than one kabupaten/kota: one
    kabupaten's figures take less time than opening the extra connections would.
    """
    workers = int(getattr(settings, "DASHBOARD_QUERY_WORKERS", 1))
    if workers < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    if scope is not None and (scope.kabupaten_id or scope.user.scope_kabupaten_id):
        return 1
    return workers


def dashboard_tables(scope: DashboardScope) -> list[Table]:
    """All the dashboard's tables: a constant number of aggregate queries, whatever the data's size.

    On PostgreSQL the independent queries run on `DASHBOARD_QUERY_WORKERS` connections at once, so the
    page waits for the slowest share rather than for the sum; the numbers are the same either way.
    """
    built: dict[str, Table] = {}
    workers = _parallel_workers(scope)
    if workers == 1:
        for job in _jobs().values():
            built.update(job(scope))
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dashboard") as pool:
            for result in pool.map(_in_worker, _shares(_jobs(), workers), repeat(scope), repeat(get_language())):
                built.update(result)
    return [built[key] for key in TABLES]


#: How long computed figures are reused for the same region and period (the page says as of when).
CACHE_SECONDS = 300


def _cache_key(scope: DashboardScope) -> str:
    """What the figures depend on: the effective region (the user's scope and narrowing), period, language.

    Users with the same scope share entries; no entry is ever read for a region other than the one it was
    computed for.
    """
    user = scope.user
    return ":".join(str(part) for part in (
        "dashboard-v1", figures_generation(), user.scope_province_id, user.scope_kabupaten_id, scope.province_id, scope.kabupaten_id,
        scope.date_from.isoformat(), scope.date_to.isoformat(), get_language()))


def _text(value):
    return str(value) if isinstance(value, Promise) else value


def _evaluated(table: Table) -> Table:
    """The table with its lazy translations turned into text (the key holds the language): unpickling a
    lazy string rebuilds its proxy class, which would cost more than the cache saves."""
    return replace(table, title=str(table.title), explanation=str(table.explanation),
                   columns=[Column(str(c.label), c.kind) for c in table.columns],
                   rows=[[_text(v) for v in row] for row in table.rows],
                   footer=[_text(v) for v in table.footer] if table.footer else None)


def dashboard_tables_cached(scope: DashboardScope) -> tuple[list[Table], datetime]:
    """`dashboard_tables`, reused for `CACHE_SECONDS`: the tables and when they were computed."""
    found = cache.get(_cache_key(scope))
    if found is None:
        found = ([_evaluated(table) for table in dashboard_tables(scope)], timezone.now())
        cache.set(_cache_key(scope), found, CACHE_SECONDS)
    return found
