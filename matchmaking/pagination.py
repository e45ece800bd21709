"""The supplier directory's paginator: a capped count, folded into the page query when ranking reads every
match anyway."""

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Window
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP results: past that, "1000+" is all a person needs, and counting every
    match of a broad search over 20,000 profiles costs as much as fetching the page.

    A ranked search (ordered by `search_rank`) must score every match before it can return the first
    page, so there the ranking query counts them too (`COUNT(*) OVER ()`) and no count query is sent; it
    reads only ids, and a second query loads the page's rows by id from `rows` (default: the object list):
    the ranking query has applied every condition already, so `rows` can be the unfiltered queryset with the
    same joins and annotations, and the row query need not repeat the search. `rows` may also be a function
    from the page's ids to its rows in that order (selectors.directory_cards_by_id). Past the last page, or with
    no match, it falls back to counting first, like Django's paginator.

    `meanwhile`, if given, is called while PostgreSQL runs the ranking query (some 2–6 ms for a broad search),
    with work that does not need the page: it is called once, or not at all (no ranking query on PostgreSQL).

    `ranking`, if given, is that query written already, on PostgreSQL: (SQL selecting the id and the sort keys
    of every match, its parameters, the ordering by those keys as order_by names them). The object list is
    then the same results as a queryset, built only if a page needs it (counting first: past the last page,
    or no match), so it may be a lazy object.
    """

    COUNT_CAP = 1000
    RANK = "search_rank"

    def __init__(self, object_list, per_page, *, rows=None, meanwhile=None, ranking=None, **kwargs):
        self.ranking = ranking
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows
        self.meanwhile = meanwhile

    def _check_object_list_is_ordered(self):
        if self.ranking is None:  # with the ranking given, the object list is only built if a page needs it
            super()._check_object_list_is_ordered()

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.COUNT_CAP

    def get_page(self, number):
        ranked = self.ranking is not None or self.RANK in getattr(getattr(self.object_list, "query", None),
                                                                  "annotations", {})
        if ranked and "count" not in self.__dict__:
            page = self._ranked_page(number)
            if page is not None:
                return page
        return super().get_page(number)

    def _ranked_page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        bottom = (wanted - 1) * self.per_page
        if wanted < 1 or bottom > self.COUNT_CAP:  # no such page within the capped count: count first
            return None
        found = self._ranked_ids(bottom)
        if not found:
            return None
        self.count = min(found[0][1], self.COUNT_CAP + 1)
        if wanted > self.num_pages:  # beyond the capped count: Django's paginator shows the last page
            return None
        # The wide rows (and their joins) only for the page, not for every match ranked above. A row deleted
        # since the ranking query is left out.
        ids = [pk for pk, _total in found]
        if callable(self.rows):
            return self._get_page(self.rows(ids), wanted, self)
        source = self.object_list if self.rows is None else self.rows
        rows = {row.pk: row for row in source.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], wanted, self)

    def _ranked_ids(self, bottom: int) -> list[tuple[int, int]]:
        """(id, number of matches) of the page's rows, best first.

        On PostgreSQL the matches are counted over narrow rows (the id and the sort keys) in a subquery: a
        window over the search's own rows copied every match with its search vector into the window's
        buffer (the rank to sort by was computed above the window), some 2 ms for 2,000 matches."""
        if self.ranking is not None:
            inner, params, ordering = self.ranking
        else:
            ordering = self.object_list.query.order_by
            if connection.vendor != "postgresql" or not all(isinstance(key, str) for key in ordering):
                return list(self.object_list.annotate(matches_total=Window(Count("*")))
                            .values_list("pk", "matches_total")[bottom:bottom + self.per_page])
            inner, params = self.object_list.order_by().values_list(
                "pk", *(key.removeprefix("-") for key in ordering)).query.sql_with_params()
        keys = [f"key{i}" for i in range(len(ordering))]
        order = ", ".join(f"m.{key} {'DESC' if by.startswith('-') else 'ASC'}" for key, by in zip(keys, ordering, strict=True))
        # OFFSET 0 keeps the subquery from being flattened into the outer query, which would widen it again.
        sql = (f"SELECT m.pk, COUNT(*) OVER () FROM ({inner} OFFSET 0) AS m(pk, {', '.join(keys)}) "
               f"ORDER BY {order} LIMIT %s OFFSET %s")
        with connection.cursor() as cursor:
            if self.meanwhile is None:
                cursor.execute(sql, [*params, self.per_page, bottom])
                return cursor.fetchall()
            # The query sent in pipeline mode, so PostgreSQL ranks while `meanwhile` runs here; its rows are
            # read after (a query `meanwhile` sends goes behind it, and waits for it).
            with connection.connection.pipeline():
                cursor.execute(sql, [*params, self.per_page, bottom])
                self.meanwhile()
                return cursor.fetchall()
