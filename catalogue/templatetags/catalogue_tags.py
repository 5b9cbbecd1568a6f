from django import template

from catalogue.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    return "" if amount is None else format_vnd(int(amount))
