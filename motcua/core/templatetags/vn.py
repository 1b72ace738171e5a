"""`{% load vn %}`: `{{ value|vn_date }}` shows a date, datetime or ISO date string as dd/mm/yyyy;
`{% date_input name value id %}` writes the dd/mm/yyyy text input every date field uses."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

from motcua.core.dates import DATE_INPUT_ATTRS, format_date

register = template.Library()


@register.filter
def vn_date(value: Any) -> str:
    return format_date(value)


@register.simple_tag
def date_input(name: str, value: Any = "", input_id: str = "", required: bool = False) -> str:
    attrs = format_html_join(" ", '{}="{}"', sorted(DATE_INPUT_ATTRS.items()))
    return format_html(
        '<input type="text" id="{}" name="{}" value="{}" {}{}>',
        input_id or name,
        name,
        format_date(value),
        attrs,
        " required" if required else "",
    )
