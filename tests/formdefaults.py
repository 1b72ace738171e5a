"""What a browser submits for a form left as it opened: every field's current value, nothing touched."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def data(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.fields:
            out.setdefault(name, []).append(value)
        return out


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._multiple = False
        self._option: list[str] | None = None
        self._option_attrs: dict[str, str | None] = {}
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = Form((a.get("action") or ""), (a.get("method") or "get").lower())
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name") or ""
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value") or "on"))
            elif kind in ("submit", "button", "image"):
                self._form.buttons.append((name, a.get("value") or ""))
            elif kind != "file":
                self._form.fields.append((name, a.get("value") or ""))
        elif tag == "button" and name:
            self._form.buttons.append((name, a.get("value") or ""))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._multiple = (name, []), "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option, self._option_attrs = [], a
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option.append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select is not None and self._option is not None:
            value = self._option_attrs.get("value")
            self._select[1].append(
                ("".join(self._option).strip() if value is None else value, "selected" in self._option_attrs)
            )
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            chosen = [v for v, selected in options if selected]
            if not chosen and not self._multiple:  # a single select submits its first option
                chosen = [v for v, _s in options[:1]]
            self._form.fields.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._textarea[1])
            self._form.fields.append((self._textarea[0], text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms
