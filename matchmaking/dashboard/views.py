"""The Dinas outcomes dashboard page and the CSV/XLSX export of each of its tables."""

from html import escape

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from ..selectors import GOOD_SUGGESTION_SCORE
from ..templatetags.rupiah import rupiah
from .charts import table_chart
from .exports import table_csv, table_xlsx
from .forms import DashboardFilterForm
from .selectors import CACHE_SECONDS, DECIMAL, MONEY, TABLES, TEXT, dashboard_tables_cached, default_period

PERMISSION = "matchmaking.view_outcomes_dashboard"


def _filter_form(request) -> DashboardFilterForm:
    data = request.GET.copy()
    start, end = default_period()
    if not data.get("date_from"):
        data["date_from"] = start.isoformat()
    if not data.get("date_to"):
        data["date_to"] = end.isoformat()
    return DashboardFilterForm(data, user=request.user)


def _number(value, kind: str, separators: dict) -> str:
    """Grouped like the page's language (`1.234` / `1,234`); at most one decimal for decimal columns."""
    text = f"{value:,.1f}" if kind == DECIMAL and value % 1 else f"{value:,.0f}"
    return text.translate(separators)


def _display(table) -> dict:
    separators = str.maketrans({",": get_format("THOUSAND_SEPARATOR"), ".": get_format("DECIMAL_SEPARATOR")})
    kinds = [column.kind for column in table.columns]

    def cells(row):
        return [("" if v is None else rupiah(v) if k == MONEY else str(v) if k == TEXT or isinstance(v, str)
                 else _number(v, k, separators), k != TEXT) for v, k in zip(row, kinds, strict=True)]

    rows = [cells(row) for row in table.rows]
    return {
        "table": table,
        "rows": rows,
        "body": _body_html(rows, len(table.columns)),
        "footer": cells(table.footer) if table.footer else None,
        "chart": mark_safe(table_chart(table, money_format=rupiah, empty_text=_("No data in this period"))),
    }


def _body_html(rows: list, width: int) -> str:
    """The table's <tbody> rows, written here: a national table has some 500 rows of five cells, which
    through template loops costs tens of milliseconds."""
    if not rows:
        return format_html('<tr><td colspan="{}" class="text-muted">{}</td></tr>', width, _("No data in this period"))
    lines = []
    for row in rows:
        (first, _numeric), *rest = row
        cells = "".join(f'<td class="text-end" data-value>{escape(value)}</td>' if numeric
                        else f"<td>{escape(value)}</td>" for value, numeric in rest)
        lines.append(f'<tr><th scope="row" class="fw-normal">{escape(first)}</th>{cells}</tr>')
    return mark_safe("".join(lines))


@login_required
@permission_required(PERMISSION, raise_exception=True)
def outcomes_dashboard(request):
    form = _filter_form(request)
    sections, computed_at = [], None
    if form.is_valid():
        tables, computed_at = dashboard_tables_cached(form.scope())
        sections = [_display(table) for table in tables]
    return render(request, "matchmaking/dashboard/dashboard.html", {
        "form": form, "sections": sections, "computed_at": computed_at, "cache_minutes": CACHE_SECONDS // 60, "query": request.GET.urlencode(),
        "good_score": GOOD_SUGGESTION_SCORE, "scope_label": request.user.scope_label,
    })


@login_required
@permission_required(PERMISSION, raise_exception=True)
def outcomes_dashboard_export(request, table: str, fmt: str):
    build = TABLES.get(table)
    if build is None or fmt not in ("csv", "xlsx"):
        raise Http404
    form = _filter_form(request)
    if not form.is_valid():
        errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in form.errors.items())
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    scope = form.scope()
    result = build(scope)
    filename = f"{slugify(table)}-{scope.date_from:%Y%m%d}-{scope.date_to:%Y%m%d}"
    if scope.kabupaten_id or scope.province_id:
        filename += f"-{scope.kabupaten_id or scope.province_id}"
    if fmt == "csv":
        response = HttpResponse(table_csv(result), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(result), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
