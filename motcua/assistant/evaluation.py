"""`motcua assistant evaluate FILE.jsonl`: accuracy and latency of the assistant on a labelled file.

Each line: {"question": str, "intent": "procedure"|"status"|"feedback"|"handover",
"procedures": [accepted national codes], "guide": optional entry slug, "dossier_code": str|null,
"context": optional code of the procedure discussed before (a follow-up)}.
Nothing is written: the questions are understood and their replies built from stored facts (a
complaint is only classified, not filed).
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motcua.assistant import engine
from motcua.assistant.models import GuideEntry, Intent
from motcua.catalog import selectors as catalog


@dataclass
class Report:
    total: int = 0
    intent_ok: int = 0
    procedure_rows: int = 0
    top1: int = 0
    top3: int = 0
    code_rows: int = 0
    code_ok: int = 0
    out_of_scope_rows: int = 0
    handed_over: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def ratio(self, part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def figures(self) -> dict[str, float]:
        lat = sorted(self.latencies_ms) or [0.0]
        return {
            "questions": self.total,
            "intent_accuracy": self.ratio(self.intent_ok, self.total),
            "top1": self.ratio(self.top1, self.procedure_rows),
            "top3": self.ratio(self.top3, self.procedure_rows),
            "codes_exact": self.ratio(self.code_ok, self.code_rows),
            "out_of_scope_handed_over": self.ratio(self.handed_over, self.out_of_scope_rows),
            "p50_ms": statistics.median(lat),
            "p95_ms": lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))],
        }


def load(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def _reply(understanding: engine.Understanding) -> str:
    """The reply text, built as `services.ask` builds it (reads only)."""
    if understanding.intent == Intent.STATUS:
        return engine.status_reply(understanding.dossier_code)[0]
    if understanding.intent == Intent.PROCEDURE and understanding.guide_id:
        entry = GuideEntry.objects.filter(pk=understanding.guide_id).first()
        return engine.guide_reply(entry) if entry else ""
    if understanding.intent == Intent.PROCEDURE and understanding.procedure_codes:
        procedure = catalog.get_procedure(understanding.procedure_codes[0])
        return engine.procedure_reply(procedure, understanding.facets) if procedure else ""
    return engine.HANDOVER_REPLY


def evaluate(rows: list[dict[str, Any]]) -> Report:
    report = Report()
    guides = dict(GuideEntry.objects.values_list("slug", "pk"))
    engine.current_index()  # build once: the figures are per question on a warm process
    for row in rows:
        context = engine.Context(procedure_code=row.get("context") or "")
        started = time.perf_counter()
        got = engine.understand(row["question"], context)
        _reply(got)
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        report.total += 1
        intent_ok = got.intent == row["intent"]
        report.intent_ok += intent_ok
        wanted = list(row.get("procedures") or [])
        predicted = list(got.procedure_codes) if got.intent == Intent.PROCEDURE else []
        if row.get("guide"):
            wanted = [f"g:{guides.get(row['guide'])}"]
            if got.guide_id:
                predicted = [f"g:{got.guide_id}", *predicted]
        ok1 = ok3 = True
        if row["intent"] == Intent.PROCEDURE and wanted:
            report.procedure_rows += 1
            ok1 = bool(predicted) and predicted[0] in wanted
            ok3 = any(code in wanted for code in predicted[:3])
            report.top1 += ok1
            report.top3 += ok3
        code_ok = True
        if row["intent"] == Intent.STATUS or row.get("dossier_code"):
            report.code_rows += 1
            code_ok = (got.dossier_code or None) == (row.get("dossier_code") or None)
            report.code_ok += code_ok
        if row["intent"] == Intent.HANDOVER:
            report.out_of_scope_rows += 1
            report.handed_over += got.intent == Intent.HANDOVER
        if not (intent_ok and ok1 and code_ok):
            report.misses.append(
                {
                    "question": row["question"],
                    "want": [row["intent"], *wanted],
                    "got": [got.intent, *predicted[:3]],
                    "score": round(got.score, 2),
                    "coverage": round(got.coverage, 2),
                }
            )
    return report
