"""Every refusal a person reads is a whole Vietnamese sentence: no doubled full stop, no cut word, and
the paper names put inside messages carry no full stop of their own."""

import importlib
import json
import re
import string

import pytest

from motcua.catalog import services as catalog_services
from motcua.catalog.models import Requirement
from motcua.core.errors import MotcuaError

APPS = ("catalog", "citizens", "civil", "dossiers", "feedback", "portal", "surveys")
SAMPLE = "giá trị"


def _templates():
    for app in APPS:
        importlib.import_module(f"motcua.{app}.errors")
    importlib.import_module("motcua.core.uploads")
    seen = set()
    stack = list(MotcuaError.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.codes is None or cls.codes in seen:
            continue
        seen.add(cls.codes)
        for code, label in cls.codes.choices:
            yield f"{cls.__name__}.{code}", str(label)


TEMPLATES = sorted(_templates())


def _fill(template: str) -> str:
    names = [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]
    names += re.findall(r"%\((\w+)\)s", template)
    filled = template
    for name in names:
        filled = filled.replace("{" + name + "}", SAMPLE).replace(f"%({name})s", SAMPLE)
    return filled


def test_there_are_error_messages_to_check():
    assert len(TEMPLATES) > 100


@pytest.mark.parametrize(("where", "template"), TEMPLATES, ids=[w for w, _t in TEMPLATES])
def test_error_message_is_a_whole_sentence(where, template):
    text = _fill(template)
    assert ".." not in text.replace("...", ""), f"{where}: doubled full stop"
    assert ". ." not in text and ".." not in text, f"{where}: doubled full stop"
    assert "…" not in template and "..." not in template, f"{where}: cut text"
    assert text == text.strip() and "  " not in text, f"{where}: stray spaces"
    # starts a sentence, or with a quoted label or a name that is the sentence's subject
    assert text[:1].isupper() or template.startswith(("“", "{", "%(")), f"{where}: starts mid-sentence"
    # ends a sentence, or ends with a value that is itself a message (a reason, a detail)
    assert text.endswith((".", "?", "!")) or template.rstrip().endswith(("}", "s")), f"{where}: not closed"


def test_paper_names_inside_messages_have_no_full_stop_and_no_cut_word(db):
    data = json.loads(catalog_services.DEFAULT_DATA.read_text(encoding="utf-8"))
    names = [c["item"] for r in data["procedures"] for c in r.get("dossier_components") or [] if c.get("item")]
    for name in names:
        short = Requirement(name=name).short_name
        assert not short.endswith((".", ";", ",", ":")), short
        words = short.removesuffix(" …").split()
        # every word of the short name is a whole word of the paper's own wording
        assert " ".join(words) in " ".join(name.split()), short
        assert words[-1] in name.split() or words[-1].rstrip(",;:.") in [w.rstrip(",;:.") for w in name.split()]
