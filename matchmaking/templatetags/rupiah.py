from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """1250000 → 'Rp 1.250.000' (Indonesian grouping, whatever the page's language)."""
    if value is None or value == "":
        return "–"
    try:
        amount = round(float(value))
    except (TypeError, ValueError):
        return "–"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")
