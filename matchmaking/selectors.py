"""Reading needs for the pages that show them, already joined and counted in the database."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles.models import BuyerOrganisation, IkmProfile
from profiles.selectors import region_scope_q

from .consortium import Consortium, Member, consortium_suggestions
from .enums import Answer, AnswerSide, NeedStatus
from .explain import Why, consortium_why, suggestion_why, taxonomy_names
from .models import Need, NeedCertification, NeedMaterial, NeedProcess, Suggestion, SuggestionAnswer


def need_detail_queryset() -> QuerySet[Need]:
    return Need.objects.select_related("buyer", "delivery_kabupaten__province").prefetch_related(
        Prefetch("need_processes", queryset=NeedProcess.objects.select_related("process")),
        Prefetch("need_materials", queryset=NeedMaterial.objects.select_related("material")),
        Prefetch("need_certifications", queryset=NeedCertification.objects.select_related("certification")),
        "attachments",
    )


def needs_of_organisation(organisation: BuyerOrganisation) -> QuerySet[Need]:
    """An organisation's needs with the number of suggestions and of IKMs that said they are interested."""
    return (
        Need.objects.filter(buyer=organisation)
        .select_related("delivery_kabupaten")
        .annotate(
            suggestion_count=Count("suggestions", distinct=True),
            interested_count=Count("answers", filter=Q(answers__side=AnswerSide.IKM,
                                                       answers__answer=Answer.INTERESTED), distinct=True),
        )
        .order_by("-created_at")
    )


class NeedChoice(NamedTuple):
    pk: int
    title: str


def shortlist_needs(user) -> list[NeedChoice]:
    """The needs a buyer may shortlist a supplier onto (not yet awarded), newest first: id and title only,
    as the directory's shortlist forms list them. One prepared query whose SQL is built once per process
    (the ORM spent longer building and reading it than the database answering)."""
    if user.buyer_organisation_id is None:
        return []
    sql, params, slot = _shortlist_needs_sql()
    with _cursor() as cursor:
        cursor.execute(sql, [*params[:slot], user.buyer_organisation_id, *params[slot + 1:]])
        return [NeedChoice(*row) for row in cursor.fetchall()]


@cache
def _shortlist_needs_sql() -> tuple[str, tuple, int]:
    return _sql_with_slot(lambda mark: Need.objects.filter(buyer_id=mark).exclude(status=NeedStatus.AWARDED)
                          .order_by("-created_at").values_list("pk", "title"))


_MARK = -(10**12)  # no id is negative


def _sql_with_slot(queryset_for) -> tuple[str, tuple, int]:
    """(SQL, parameters, the position of the one value a query built once per process takes anew each time)
    of `queryset_for(mark)`, a queryset with a mark where that value goes."""
    sql, params = queryset_for(_MARK).query.sql_with_params()
    return sql, tuple(params), list(params).index(_MARK)


def open_needs() -> QuerySet[Need]:
    """Open needs whose deadline has not passed, soonest deadline first."""
    today = timezone.localdate()
    return (
        need_detail_queryset()
        .filter(status=NeedStatus.OPEN)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .order_by("deadline", "-created_at")
    )


@dataclass
class RequirementFit:
    """Which of a need's requirements an IKM meets, as ticked on its profile (valid certificates only)."""

    met: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    preferred_met: list[str] = field(default_factory=list)

    @property
    def required_total(self) -> int:
        return len(self.met) + len(self.missing)


def requirement_fit(need: Need, ikm: IkmProfile) -> RequirementFit:
    """Compare a need (loaded with need_detail_queryset) with an IKM (loaded with ikm_detail_queryset)."""
    today = timezone.localdate()
    processes = {p.pk for p in ikm.processes.all()}
    materials = {m.pk for m in ikm.materials.all()}
    certifications = {c.certification_id for c in ikm.certifications.all()
                      if c.valid_until is None or c.valid_until >= today}
    fit = RequirementFit()
    rows = [(r.process, r.process_id in processes, r.required) for r in need.need_processes.all()]
    rows += [(r.material, r.material_id in materials, r.required) for r in need.need_materials.all()]
    rows += [(r.certification, r.certification_id in certifications, r.required)
             for r in need.need_certifications.all()]
    for item, ok, required in rows:
        if required:
            (fit.met if ok else fit.missing).append(item.name)
        elif ok:
            fit.preferred_met.append(item.name)
    if need.quantity_tons_month is not None and ikm.capacity_tons_month is not None:
        label = _("capacity %(have)s t/month for %(need)s t/month") % {
            "have": floatformat(ikm.capacity_tons_month, "-2g"), "need": floatformat(need.quantity_tons_month, "-2g")}
        (fit.met if ikm.capacity_tons_month >= need.quantity_tons_month else fit.missing).append(label)
    return fit


def _directory_suppliers() -> QuerySet[IkmProfile]:
    return (
        IkmProfile.objects.exclude(verification_status="needs_revision")
        .select_related("kabupaten", "sentra")
        .defer("search_document", "search_vector", "description", "main_customers", "address")
        .order_by("-verification_status", "name")
    )


def directory_queryset() -> QuerySet[IkmProfile]:
    """Suppliers with their processes and products (the API's supplier list), in a fixed number of queries."""
    from profiles.models import Product

    return _directory_suppliers().prefetch_related(
        "processes", Prefetch("products", queryset=Product.objects.prefetch_related("photos")))


def directory_card_queryset() -> QuerySet[IkmProfile]:
    """Suppliers as the directory's result cards need them (matchmaking.cards), in one query: process names
    come from `process_ids` (reference_cache.process_names), the first product's name and first photo
    from subqueries, so no prefetch runs for a page. Only the columns a card shows are read: converting the
    others (timestamps, coordinates) cost more than the query itself.

    Built once per process and cloned for each caller: building its subqueries cost more than 1 ms."""
    return _directory_cards().all()


#: What matchmaking.cards reads of a supplier (the verification badge: verification_status).
_CARD_FIELDS = ("name", "legal_form", "kabupaten__name", "sentra__name", "capacity_tons_month",
                "verification_status", "process_ids")


@cache
def _directory_cards() -> QuerySet[IkmProfile]:
    from profiles.models import Product, ProductPhoto

    first_product = Product.objects.filter(ikm=OuterRef("pk")).order_by("pk")
    first_photo = ProductPhoto.objects.filter(
        product=Subquery(Product.objects.filter(ikm=OuterRef(OuterRef("pk"))).order_by("pk").values("pk")[:1]),
    ).order_by("pk")
    return _directory_suppliers().only(*_CARD_FIELDS).annotate(
        first_product_name=Subquery(first_product.values("name")[:1]),
        first_product_thumbnail=Subquery(first_photo.values("thumbnail")[:1]),
    )


class CardRow:
    """A supplier as its directory card reads it (matchmaking.cards), loaded raw by directory_cards_by_id: its
    card's columns, the regency and sentra as their names, and IkmProfile's own display name and verification
    test. Making IkmProfile instances (with their regency and sentra) took half of the rows' time."""

    __slots__ = ("pk", "legal_form", "name", "kabupaten", "sentra_id", "sentra", "capacity_tons_month",
                 "verification_status", "process_ids", "first_product_name", "first_product_thumbnail")

    display_name = IkmProfile.display_name
    is_verified = IkmProfile.is_verified

    def __repr__(self) -> str:
        return f"<CardRow {self.pk}: {self.name}>"


def directory_cards_by_id(ids: Sequence[int]) -> list[CardRow]:
    """The suppliers with these ids as their cards read them (the columns of directory_card_queryset, with
    their regency's and sentra's names), in the order given; an id no longer there (deleted since it was
    ranked) is left out.

    A ranked directory page's rows, once the ranking query has found their ids. One query, whose SQL is
    built once per process (building the card queryset's SQL cost almost as much as running it), run raw
    (the ORM took twice as long to make the 20 instances with their relations): ≈ 1.9 → 1.1 ms a page. On
    PostgreSQL it is a prepared statement taking the ids as one array, planned once per connection
    (planning its joins and subqueries took longer than running them): 0.9 → 0.45 ms."""
    if not ids:
        return []
    postgres = connection.vendor == "postgresql"
    sql, params, slot = _cards_by_id_sql(postgres)
    values = [int(pk) for pk in ids]
    if postgres:
        params = [*params[:slot], values, *params[slot + 1:]]
    else:
        sql = sql.replace(_IDS_MARK, ", ".join(["%s"] * len(values)))
        params = [*params[:slot], *values, *params[slot + 1:]]
    with _cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    read = _card_row_reader(tuple(columns))
    found = {card.pk: card for card in map(read, rows)}
    return [found[pk] for pk in ids if pk in found]


def _cursor():
    """A cursor for the directory's hot queries: on PostgreSQL one that prepares its statement (Django's cursors send
    values inside the SQL text, so nothing could be prepared), wrapped like Django's own, so the query is
    logged and counted as any other."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = _prepared_cursor_class()(connection.connection)
    return _LoggedPrepared(raw, connection) if connection.queries_logged else connection.make_cursor(raw)


@cache
def _prepared_cursor_class():
    import psycopg

    class Prepared(psycopg.Cursor):
        def execute(self, query, params=None, **kwargs):
            return super().execute(query, params, prepare=True)

    return Prepared


class _LoggedPrepared(CursorDebugWrapper):
    """Django's debug cursor for a prepared statement, logged with its values composed in (psycopg keeps no
    text of a prepared statement to log)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return super(CursorDebugWrapper, self).execute(sql, params)


#: CardRow's attributes and the card query's columns they are read from, where the names differ.
_CARD_ROW_COLUMNS = {"pk": "id", "kabupaten": "kabupaten_name", "sentra": "sentra_name"}


@cache
def _card_row_reader(columns: tuple[str, ...]):
    """For the card query's columns: a function making a CardRow of a row, converting each field's value as
    the ORM does (on SQLite: the capacity's decimal, the process ids' JSON; on PostgreSQL nothing)."""
    where = {name: i for i, name in enumerate(columns)}
    positions = [(attribute, where[_CARD_ROW_COLUMNS.get(attribute, attribute)]) for attribute in CardRow.__slots__]
    converters = []
    for model_field in IkmProfile._meta.concrete_fields:
        if model_field.column in where and model_field.column in CardRow.__slots__:
            expression = model_field.get_col(IkmProfile._meta.db_table)
            converters += [(model_field.column, expression, convert) for convert in
                           connection.ops.get_db_converters(expression) + model_field.get_db_converters(connection)]

    def read(row: tuple) -> CardRow:
        card = CardRow()
        for attribute, i in positions:
            setattr(card, attribute, row[i])
        for column, expression, convert in converters:
            setattr(card, column, convert(getattr(card, column), expression, connection))
        return card

    return read


@cache
def _cards_by_id_sql(array: bool) -> tuple[str, tuple, int]:
    """(SQL, parameters, the position of the ids among them) of the card rows: with `array`, the ids are one
    array parameter (`= ANY`), else `IN (_IDS_MARK)`, to be replaced by as many marks as ids. The regency's and
    sentra's names come as columns of their own: their names clash with the IKM's."""
    sql, params, slot = _sql_with_slot(lambda mark: _directory_cards().select_related(None)
                                       .annotate(kabupaten_name=F("kabupaten__name"), sentra_name=F("sentra__name"))
                                       .filter(pk__in=[mark]).order_by())
    column = f"{connection.ops.quote_name(IkmProfile._meta.db_table)}.{connection.ops.quote_name('id')}"
    if f"{column} IN (%s)" not in sql:
        raise RuntimeError(f"the card query no longer filters on {column} IN (...): {sql}")
    sql = sql.replace(f"{column} IN (%s)", f"{column} = ANY(%s::bigint[])" if array else f"{column} IN ({_IDS_MARK})")
    return sql, params, slot


_IDS_MARK = "/* ids */"


# --- suggestions ----------------------------------------------------------------------------------------

#: A suggestion at or above this score counts as "good" in the Dinas summary.
GOOD_SUGGESTION_SCORE = 0.6
OPPORTUNITIES_SHOWN = 10


@dataclass
class SuggestionRow:
    suggestion: Suggestion
    why: Why
    buyer_answer: str | None
    ikm_answer: str | None

    @property
    def mutual(self) -> bool:
        return self.buyer_answer == Answer.INTERESTED and self.ikm_answer == Answer.INTERESTED


def _answers(q: Q) -> dict[tuple[int, int, str], str]:
    return {(n, i, s): a for n, i, s, a in SuggestionAnswer.objects.filter(q).values_list("need_id", "ikm_id", "side",
                                                                                          "answer")}


def need_suggestion_rows(need: Need) -> tuple[list[SuggestionRow], list[tuple[Consortium, str]]]:
    """A need's stored suggestions with their "why" and both sides' answers; consortia when no one covers it.

    Four queries whatever the number of suggestions (suggestions, answers, taxonomy names x3 cached).
    """
    suggestions = list(
        Suggestion.objects.filter(need=need).select_related("ikm__kabupaten", "ikm__sentra").order_by("rank"))
    answers = _answers(Q(need=need))
    names = taxonomy_names()
    rows = [
        SuggestionRow(s, suggestion_why(s.components, names), answers.get((need.pk, s.ikm_id, AnswerSide.BUYER)),
                      answers.get((need.pk, s.ikm_id, AnswerSide.IKM)))
        for s in suggestions
    ]
    consortia = []
    if suggestions and need.status == NeedStatus.OPEN:
        required = [p[0] for p in suggestions[0].components.get("processes", [])]
        quantity = suggestions[0].components.get("quantity_tons")
        members = [
            Member(
                ikm_id=s.ikm_id, name=s.ikm.display_name, score=s.score,
                processes_met=frozenset(p[0] for p in s.components.get("processes", []) if p[1]),
                capacity=s.components.get("capacity_tons"), sentra_id=s.ikm.sentra_id,
                sentra_name=s.ikm.sentra.name if s.ikm.sentra_id else "",
                latitude=s.ikm.latitude if s.ikm.latitude is not None else s.ikm.kabupaten.latitude,
                longitude=s.ikm.longitude if s.ikm.longitude is not None else s.ikm.kabupaten.longitude,
            )
            for s in suggestions
            if answers.get((need.pk, s.ikm_id, AnswerSide.BUYER)) != Answer.NOT_RELEVANT
        ]
        for group in consortium_suggestions(members, required=required, quantity=quantity):
            consortia.append((group, consortium_why(
                processes_met=group.processes_met, processes_total=group.processes_total,
                capacity=group.capacity, quantity=quantity, same_sentra=group.same_sentra, km=group.km)))
    return rows, consortia


def ikm_opportunity_rows(ikm: IkmProfile, *, limit: int = OPPORTUNITIES_SHOWN) -> list[SuggestionRow]:
    """The open needs where this IKM is suggested, best score first, with the "why" and answers."""
    suggestions = list(
        Suggestion.objects.filter(ikm=ikm, need__status=NeedStatus.OPEN)
        .select_related("need__buyer", "need__delivery_kabupaten").order_by("-score", "need_id")[:limit])
    answers = _answers(Q(ikm=ikm, need_id__in=[s.need_id for s in suggestions]))
    names = taxonomy_names()
    return [
        SuggestionRow(s, suggestion_why(s.components, names), answers.get((s.need_id, ikm.pk, AnswerSide.BUYER)),
                      answers.get((s.need_id, ikm.pk, AnswerSide.IKM)))
        for s in suggestions
    ]


def matching_summary(user) -> tuple[QuerySet, QuerySet]:
    """Per open need (delivered in the user's region) and per IKM region: good suggestions and answered ones."""
    answered = SuggestionAnswer.objects.filter(need_id=OuterRef("need_id"), ikm_id=OuterRef("ikm_id"))
    good = Q(score__gte=GOOD_SUGGESTION_SCORE)
    per_need = (
        Suggestion.objects.filter(good, need__status=NeedStatus.OPEN)
        .filter(region_scope_q(user, kabupaten_field="need__delivery_kabupaten"))
        .annotate(answered=Exists(answered))
        .values("need_id", "need__title", "need__buyer__name")
        .annotate(good=Count("id"), answered_count=Count("id", filter=Q(answered=True)))
        .order_by("-good", "need__title")
    )
    per_region = (
        Suggestion.objects.filter(good, need__status=NeedStatus.OPEN)
        .filter(region_scope_q(user, kabupaten_field="ikm__kabupaten"))
        .annotate(answered=Exists(answered))
        .values("ikm__kabupaten__name")
        .annotate(good=Count("id"), answered_count=Count("id", filter=Q(answered=True)),
                  needs=Count("need_id", distinct=True), ikms=Count("ikm_id", distinct=True))
        .order_by("-good", "ikm__kabupaten__name")
    )
    return per_need, per_region
