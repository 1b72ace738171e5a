"""`motcua assistant evaluate FILE.jsonl [--misses]`: the assistant's figures on a labelled question file."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.assistant.evaluation import evaluate, load


class Command(BaseCommand):
    help = "Assistant tools: `evaluate FILE.jsonl` prints top-1/top-3, intent, code extraction and latency."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("evaluate", help="figures on a labelled JSONL file")
        ev.add_argument("file")
        ev.add_argument("--misses", action="store_true", help="list the questions answered wrongly")
        ev.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        report = evaluate(load(opts["file"]))
        figures = report.figures
        if opts["json"]:
            self.stdout.write(json.dumps(figures))
        else:
            self.stdout.write(
                f"questions {figures['questions']}\n"
                f"top-1 procedure accuracy   {figures['top1']:.1%} ({report.top1}/{report.procedure_rows})\n"
                f"top-3 procedure accuracy   {figures['top3']:.1%} ({report.top3}/{report.procedure_rows})\n"
                f"intent accuracy            {figures['intent_accuracy']:.1%} ({report.intent_ok}/{report.total})\n"
                f"dossier codes exact        {figures['codes_exact']:.1%} ({report.code_ok}/{report.code_rows})\n"
                f"out of scope handed over   {figures['out_of_scope_handed_over']:.1%} "
                f"({report.handed_over}/{report.out_of_scope_rows})\n"
                f"latency p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms"
            )
        if opts["misses"]:
            for miss in report.misses:
                self.stdout.write(json.dumps(miss, ensure_ascii=False))
