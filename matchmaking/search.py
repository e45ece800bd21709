"""The supplier directory's full-text search.

Each IKM's search document is its words normalised by our Indonesian analyser (misspellings folded, affixes
stemmed: pengelasan → las, alumunium → aluminium, pengecoran/coran → cor) plus the taxonomy's Indonesian
and English terms for every capability it ticked or wrote in prose. On PostgreSQL it goes into
`search_vector` (profiles.IkmProfile), a tsvector of the name (weight A), that document (B, `simple`
configuration, so our stems are kept as they are) and the raw prose (C, PostgreSQL's built-in `indonesian`
configuration). A query goes through the same analyser, so "pengelasan", "las" and "welding" meet. On
SQLite (the embedded demo) the document itself is kept, in `search_document`, and searched with LIKE; on
PostgreSQL that column stays empty: nothing reads it there, and it made every profile's row a third wider,
so the ranking, which reads the row of every match, read a third more pages.

The same refresh keeps the capability arrays the directory's filters use (`process_ids`,
`process_group_ids`, `material_ids`): they change whenever the words do, through `profiles.services.ikm_changed`.
"""

import json
from collections.abc import Callable, Iterable
from functools import partial

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Page
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.functional import SimpleLazyObject

from profiles.models import IkmProfile, Machine, Product
from profiles.reference import taxonomy

from .pagination import CappedPaginator
from .scoring.text import PROTECTED, ROOTS, VARIANTS, canonical_tokens, codes_from_text, index_tokens

_KEYWORDS = {p.code: (p.name_id, p.name_en, *p.keywords) for p in taxonomy.PROCESSES}
_KEYWORDS.update({m.code: (m.name_id, m.name_en, *m.keywords) for m in taxonomy.MATERIALS})
_KEYWORDS.update({c.code: (c.code, c.name_id, c.name_en) for c in taxonomy.CERTIFICATIONS})

# The words the analyser knows whole: its roots and canonical spellings, and the taxonomy's terms as it
# writes them. A query word that is one of them is matched as that word ('las' is welding, not also
# 'laser'; 'cor' not 'corak'); any other word by prefix, so a word still being typed ("galvan") finds its
# completions. Exact words are also cheaper to look up: a prefix scans every index entry it begins.
_WHOLE_WORDS = ROOTS | PROTECTED | frozenset(VARIANTS.values()) | frozenset(
    index_tokens(canonical_tokens(" ".join(word for words in _KEYWORDS.values() for word in words))))


def query_terms(text: str) -> list[str]:
    """The normalised words of a search box entry, in order, without stopwords or repeats."""
    return list(dict.fromkeys(index_tokens(canonical_tokens(text[:200]))))


def _document(ikm: IkmProfile) -> tuple[str, str]:
    """(normalised document, raw prose) of one IKM loaded with its relations."""
    prose = " ".join([
        ikm.description, ikm.main_customers,
        *(f"{p.name} {p.description}" for p in ikm.products.all()),
        *(f"{m.machine_type} {m.capacity}" for m in ikm.machines.all()),
    ])
    codes = {p.code for p in ikm.processes.all()} | {m.code for m in ikm.materials.all()}
    codes |= {c.certification.code for c in ikm.certifications.all()}
    codes |= set(codes_from_text(prose))
    terms = " ".join(word for code in sorted(codes) for word in _KEYWORDS.get(code, ()))
    sentra = ikm.sentra.name if ikm.sentra_id else ""
    words = index_tokens(canonical_tokens(f"{ikm.name} {prose} {terms} {sentra} {ikm.kabupaten.name}"))
    return " ".join(words), prose


def _capabilities(ikm: IkmProfile) -> tuple[list[int], list[int], list[int]]:
    """(process ids, process group ids, material ids) of one IKM loaded with its relations, sorted."""
    processes = ikm.processes.all()
    return (sorted({p.pk for p in processes}), sorted({p.group_id for p in processes}),
            sorted({m.pk for m in ikm.materials.all()}))


def ikm_search_index_refresh(ikm_ids: Iterable[int]) -> int:
    """Recompute the search columns and capability arrays of these IKMs (one query per relation, one
    UPDATE per batch)."""
    ids = list(ikm_ids)
    done = 0
    for start in range(0, len(ids), 1000):
        batch = (
            IkmProfile.objects.filter(pk__in=ids[start:start + 1000])
            .select_related("sentra", "kabupaten")
            .prefetch_related("processes", "materials", "certifications__certification",
                              Prefetch("products", queryset=Product.objects.only("ikm_id", "name", "description")),
                              Prefetch("machines", queryset=Machine.objects.only("ikm_id", "machine_type", "capacity")))
        )
        rows = [(ikm.pk, ikm.name, *_document(ikm), *_capabilities(ikm)) for ikm in batch]
        _write(rows)
        done += len(rows)
    return done


def _write(rows: list[tuple[int, str, str, str, list[int], list[int], list[int]]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s, %s, %s, %s, %s::integer[], %s::integer[], %s::integer[])"] * len(rows))
            cursor.execute(
                "UPDATE profiles_ikmprofile AS t SET search_document = '', search_vector = "
                "setweight(to_tsvector('simple', v.name), 'A') || setweight(to_tsvector('simple', v.doc), 'B') "
                "|| setweight(to_tsvector('indonesian', v.prose), 'C'), "
                "process_ids = v.processes, process_group_ids = v.groups, material_ids = v.materials "
                f"FROM (VALUES {values}) AS v(id, name, doc, prose, processes, groups, materials) WHERE t.id = v.id",
                [value for row in rows for value in row],
            )
        else:
            cursor.executemany(
                "UPDATE profiles_ikmprofile SET search_document = %s, process_ids = %s, process_group_ids = %s, "
                "material_ids = %s WHERE id = %s",
                [(doc, json.dumps(processes), json.dumps(groups), json.dumps(materials), pk)
                 for pk, _name, doc, _prose, processes, groups, materials in rows])


def ikm_search(queryset: QuerySet[IkmProfile], text: str) -> QuerySet[IkmProfile]:
    """Filter and rank `queryset` by a search box entry; an empty entry leaves it as it is.

    Word matches if there are any (one EXISTS query to know), else business names close to the entry."""
    found = _word_search(queryset, text)
    if found is None or found.exists():
        return queryset if found is None else found
    return _name_search(queryset, text)


def ikm_search_page(queryset: QuerySet[IkmProfile], text: str, number, *, per_page: int,
                    rows: QuerySet[IkmProfile] | Callable[[list[int]], list[IkmProfile]] | None = None,
                    meanwhile: Callable[[], None] | None = None) -> Page:
    """The page `number` of ikm_search(queryset, text), as the directory shows it (CappedPaginator).

    The same results without the EXISTS query: the word matches' page query tells whether there were
    any, and only a search that found nothing asks for close names. A ranked page loads its rows by id from
    `rows` (CappedPaginator; default `queryset`): `queryset` without its filters is enough, or a function
    loading rows like it by id. `meanwhile`: work that does not need the page, called exactly once: while
    the word matches are ranked if they are (CappedPaginator), else after the first page query."""
    called = []

    def once() -> None:
        if meanwhile is not None and not called:
            called.append(True)
            meanwhile()

    words = _word_queries(text) if connection.vendor == "postgresql" else None
    if words is None:
        found = _word_search(queryset, text)
        page = CappedPaginator(queryset if found is None else found, per_page, rows=rows,
                               meanwhile=once).get_page(number)
    else:  # the ranking query written around the filters' SQL; the ORM's search built only if a page needs it
        found = SimpleLazyObject(partial(_word_search, queryset, text))
        page = CappedPaginator(found, per_page, rows=rows, meanwhile=once,
                               ranking=_word_ranking(queryset, words)).get_page(number)
    once()  # no ranking query was sent (no words, SQLite, or counted first)
    if found is None or page.paginator.count:
        return page
    return CappedPaginator(_name_search(queryset, text), per_page, rows=rows).get_page(number)


def _word_search(queryset: QuerySet[IkmProfile], text: str) -> QuerySet[IkmProfile] | None:
    """The profiles matching every word of the entry, best first; None for an entry without words."""
    if connection.vendor != "postgresql":
        terms = query_terms(text)
        if not terms:
            return None
        condition = Q()
        for term in terms:
            condition &= Q(search_document__icontains=term)
        return queryset.filter(condition)
    words = _word_queries(text)
    if words is None:
        return None
    ours, theirs = words
    query = SearchQuery(ours, config="simple", search_type="raw") | SearchQuery(
        theirs, config="indonesian", search_type="websearch")
    return queryset.filter(search_vector=query).annotate(search_rank=SearchRank(F("search_vector"), query)).order_by(
        *_RANKED)


#: The word search's order: best rank first, then verified suppliers, then by name.
_RANKED = ("-search_rank", "-verification_status", "name")
#: Our words or PostgreSQL's: the query SearchQuery(ours, raw) | SearchQuery(theirs, websearch) writes.
_TSQUERY = "(to_tsquery('simple'::regconfig, %s) || websearch_to_tsquery('indonesian'::regconfig, %s))"


def _word_queries(text: str) -> tuple[str, str] | None:
    """(a raw tsquery of the entry's normalised words for the `simple` configuration, the entry for
    PostgreSQL's `indonesian` web search); None for an entry without words.

    Every normalised word must match (a word the analyser knows whole exactly, any other by prefix, so
    "galvan" finds galvanis); the built-in Indonesian stemmer on the raw prose is an alternative route for
    words our analyser does not know."""
    terms = query_terms(text)
    if not terms:
        return None
    return " & ".join(_tsquery_word(t) for t in terms), text[:200]


def _word_ranking(queryset: QuerySet[IkmProfile], words: tuple[str, str]) -> tuple[str, list, tuple[str, ...]]:
    """The ranking of _word_search(queryset, text) as CappedPaginator takes it (SQL selecting the id and the
    sort keys of every match, its parameters, the order), written around the SQL of `queryset`'s filters
    alone: the ORM spent longer building and compiling the search's queryset (its query expressions, the
    clones) than PostgreSQL spends ranking a narrow search. PostgreSQL folds the filters' subquery into the
    outer one, so its plan is the one for the ORM's query."""
    filtered, params = queryset.order_by().values_list(
        "pk", "search_vector", "verification_status", "name").query.sql_with_params()
    sql = (f"SELECT f.pk, ts_rank(f.vector, {_TSQUERY}), f.status, f.name "
           f"FROM ({filtered}) AS f(pk, vector, status, name) WHERE f.vector @@ {_TSQUERY}")
    return sql, [*words, *params, *words], _RANKED


def _name_search(queryset: QuerySet[IkmProfile], text: str) -> QuerySet[IkmProfile]:
    """Nothing matched word for word: a misspelt business name may still be close (trigram similarity).
    On SQLite (no trigrams) nothing is close."""
    if connection.vendor != "postgresql":
        return queryset.none()
    return (
        queryset.filter(name__trigram_word_similar=text[:100])
        .annotate(search_rank=TrigramWordSimilarity(text[:100], "name"))
        .order_by("-search_rank", "name")
    )


def _tsquery_word(term: str) -> str:
    """A word of a raw tsquery, safe inside it (letters and digits only: the analyser already split words):
    the word itself if the analyser knows it whole, else the word as a prefix."""
    word = "".join(ch for ch in term if ch.isalnum()) or "x"
    return word if word in _WHOLE_WORDS else f"{word}:*"
