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


FILE_KINDS = {
    "application/pdf": "Tệp PDF",
    "image/jpeg": "Ảnh JPEG",
    "image/png": "Ảnh PNG",
    "image/webp": "Ảnh WebP",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Bảng tính Excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Văn bản Word",
}


@register.filter
def file_kind(content_type: str) -> str:
    """'application/pdf' -> 'Tệp PDF': what a person calls the file, not its MIME type."""
    return FILE_KINDS.get((content_type or "").split(";")[0].strip().lower(), "Tệp")
