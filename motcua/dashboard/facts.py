"""What one dossier or one feedback report contributes to the roll-ups: a pure function of its columns.

Every roll-up row is the sum of these contributions, so an action changes the roll-ups by
`facts(after) - facts(before)` (rollups.apply), and a rebuild is the sum over every row (rollups.rebuild).
The definitions (docs/dashboard.md) follow TT 01/2018 and NĐ 118/2025 as the dossiers app records them:

- received: the dossier's valid receipt (`received_at`), counted for the unit that received it, by channel;
  online = filed through the portal (kiosk and counter are not online).
- returned_early / on_time / late: the result handed over (`returned_at`), by the dossiers app's own
  outcome classification (`results.classify`: result time against the legal due time).
- closed: the day a received dossier stopped being in progress: handed over, withdrawn or stopped.
  In progress at the end of a day = received up to that day - closed up to that day (results waiting for
  collection are still in progress).
- overdue_in: on the day of its due time, a received dossier that was not closed by then; overdue_out: the
  day such a dossier closed. Overdue at the end of a day = the running sum of in - out.
- feedback: received on `received_at`; answered (and answered late, NĐ 20/2008 deadline) on
  `answered_at`; done when answered, closed, not accepted or merged; overdue from the day after its
  deadline until done; reopened: reports reopened at least once, counted on the day they were received.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

DOSSIER_DAY = "dossier_day"
DOSSIER_MONTH = "dossier_month"
PROCEDURE_MONTH = "procedure_month"
FEEDBACK_DAY = "feedback_day"

Key = tuple[str, tuple[Any, ...]]
Facts = dict[Key, Counter[str]]

RETURNED = "returned"
ENDED = ("withdrawn", "stopped")
CHANNEL_MEASURE = {
    "online": "received_online",
    "counter": "received_counter",
    "kiosk": "received_kiosk",
    "post": "received_post",
}
OUTCOME_MEASURE = {"early": "returned_early", "on_time": "returned_on_time", "late": "returned_late"}
REPORT_ANSWERED = ("answered", "closed")
REPORT_DONE = ("answered", "closed", "not_accepted", "merged")


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add(facts: Facts, key: Key, **measures: int) -> None:
    counter = facts.setdefault(key, Counter())
    for name, value in measures.items():
        if value:
            counter[name] += value


def dossier_closed_at(row: Mapping[str, Any], ended_at: dt.datetime | None) -> dt.datetime | None:
    """When a received dossier stopped being in progress (None: still in progress)."""
    if row["status"] == RETURNED:
        return row["returned_at"]
    if row["status"] in ENDED:
        return ended_at or row["updated_at"]
    return None


def dossier_facts(row: Mapping[str, Any], ended_at: dt.datetime | None = None) -> Facts:
    """The roll-up contributions of one dossier (`row`: its columns, as `dossiers.selectors.ROLLUP_FIELDS`)."""
    facts: Facts = {}
    received_at = row["received_at"]
    if received_at is None:  # not (yet) validly received: counted nowhere
        return facts
    unit = row["receiving_unit_id"]
    day = local_day(received_at)
    online = 1 if row["channel"] == "online" else 0
    day_key: Key = (DOSSIER_DAY, (unit, day))
    _add(facts, day_key, received=1, **{CHANNEL_MEASURE.get(row["channel"], "received_counter"): 1})
    proc = (unit, row["unit_id"], row["procedure_id"])
    _add(facts, (PROCEDURE_MONTH, (*proc, month_of(day))), received=1, received_online=online)
    closed = dossier_closed_at(row, ended_at)
    if row["status"] == RETURNED and row["returned_at"] is not None:
        back = local_day(row["returned_at"])
        outcome = OUTCOME_MEASURE.get(row["outcome"], "returned_on_time")
        finished = row["result_ready_at"] or row["returned_at"]
        due = row["original_due_at"] or row["due_at"]
        _add(
            facts,
            (DOSSIER_DAY, (unit, back)),
            **{outcome: 1},
            processed=1,
            processing_seconds=max(0, int((finished - received_at).total_seconds())),
            allowed_seconds=max(0, int((due - received_at).total_seconds())) if due else 0,
        )
        late = 1 if outcome == "returned_late" else 0
        _add(facts, (PROCEDURE_MONTH, (*proc, month_of(back))), returned=1, returned_late=late)
    if closed is not None:
        _add(facts, (DOSSIER_DAY, (unit, local_day(closed))), closed=1)
    due_at = row["due_at"]
    if due_at is not None and (closed is None or closed > due_at):
        _add(facts, (DOSSIER_DAY, (unit, local_day(due_at))), overdue_in=1)
        if closed is not None:
            _add(facts, (DOSSIER_DAY, (unit, local_day(closed))), overdue_out=1)
    for (table, key), counter in list(facts.items()):  # the month table: the same counters, per month
        if table == DOSSIER_DAY:
            facts.setdefault((DOSSIER_MONTH, (key[0], month_of(key[1]))), Counter()).update(counter)
    return facts


def report_done_at(row: Mapping[str, Any]) -> dt.datetime | None:
    if row["status"] not in REPORT_DONE:
        return None
    if row["status"] in REPORT_ANSWERED:
        return row["answered_at"] or row["closed_at"]
    return row["closed_at"] or row["answered_at"]


def report_facts(row: Mapping[str, Any]) -> Facts:
    """The roll-up contributions of one feedback report (`feedback.selectors.ROLLUP_FIELDS`)."""
    facts: Facts = {}
    place = (row["unit_id"], row["ward_id"] or 0, row["category_id"] or 0)
    received = local_day(row["received_at"])
    _add(facts, (FEEDBACK_DAY, (*place, received)), received=1, reopened=1 if row["reopen_count"] else 0)
    if row["status"] in REPORT_ANSWERED and row["answered_at"] is not None:
        late = 1 if row["answered_late"] else 0
        _add(facts, (FEEDBACK_DAY, (*place, local_day(row["answered_at"]))), answered=1, answered_late=late)
    done = report_done_at(row)
    done_day = local_day(done) if done is not None else None
    if done_day is not None:
        _add(facts, (FEEDBACK_DAY, (*place, done_day)), done=1)
    deadline = row["deadline"]
    if deadline is not None and (done_day is None or done_day > deadline):
        _add(facts, (FEEDBACK_DAY, (*place, deadline + dt.timedelta(days=1))), overdue_in=1)
        if done_day is not None:
            _add(facts, (FEEDBACK_DAY, (*place, done_day)), overdue_out=1)
    return facts


def difference(after: Facts, before: Facts) -> Facts:
    """after - before, keeping negative counts and dropping zeros."""
    out: Facts = {}
    for key in after.keys() | before.keys():
        delta: Counter[str] = Counter()
        a, b = after.get(key, Counter()), before.get(key, Counter())
        for name in a.keys() | b.keys():
            value = a.get(name, 0) - b.get(name, 0)
            if value:
                delta[name] = value
        if delta:
            out[key] = delta
    return out


def merge(into: Facts, more: Facts) -> None:
    for key, counter in more.items():
        into.setdefault(key, Counter()).update(counter)
