from django import template
from django.http import QueryDict
from django.utils.html import format_html_join

from catalogue.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    return "" if amount is None else format_vnd(int(amount))


@register.simple_tag
def query_with(params: QueryDict, **changes) -> str:
    """`{% query_with request.GET page=3 %}`: this page's query string with some parameters
    replaced (None removes one), for pager and sort links that keep every other filter."""
    query = params.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value not in (None, ""):
            query[name] = value
    return "?" + query.urlencode() if query else "?"


@register.simple_tag
def hidden_params(params: QueryDict, *skip: str) -> str:
    """Hidden inputs carrying the current filters through a GET form (except `skip`)."""
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        (
            (name, value)
            for name, values in params.lists()
            if name not in skip + ("page",)
            for value in values
        ),
    )
