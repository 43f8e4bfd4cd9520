"""The joint-actions read model (联动执法): actions, their participants (the coordinator
included, as COORDINATOR), tasks and linked cases. Visible to the coordinator and every
invited participant; the linked cases themselves only as domain/access.py says (an invitee
is told their references and titles, and sees them once it has joined)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casebridge.domain.joint_action import JointAction
from casebridge.infra.database import Database
from casebridge.projections.cases import InvalidCursorError, decode_cursor, encode_cursor
from casebridge.projections.projection import Positioned, Projection, RowSet, apply_versioned
from casebridge.projections.rows.joint_actions import JointActionRow, JointParticipantRow, JointTaskRow
from casebridge.projections.rows.paging import Page
from casebridge.projections.sql import Sql, read_ts, select_in
from casebridge.projections.tables import Index, Table, col

JOINT_ACTIONS = Table(
    "rm_joint_actions",
    (
        col("id", "TEXT NOT NULL"), col("title", "TEXT NOT NULL"), col("objective", "TEXT"),
        col("coordinator", "TEXT NOT NULL"), col("status", "TEXT NOT NULL"), col("common_position", "TEXT"),
        col("version", "INT NOT NULL"), col("proposed_at", "TS NOT NULL"), col("closed_at", "TS"),
        col("proposed_by_client", "TEXT NOT NULL"),
    ),
    ("id",),
    (Index("ix_rm_joint_actions_proposed", "proposed_at DESC, id"),),
)

JOINT_ACTION_PARTICIPANTS = Table(
    "rm_joint_action_participants",
    (col("action_id", "TEXT NOT NULL"), col("jurisdiction", "TEXT NOT NULL"), col("status", "TEXT NOT NULL"),
     col("reason", "TEXT"), col("answered_at", "TS")),
    ("action_id", "jurisdiction"),
    (Index("ix_rm_joint_action_participants_jurisdiction", "jurisdiction, status, action_id"),),
)

JOINT_ACTION_TASKS = Table(
    "rm_joint_action_tasks",
    (
        col("action_id", "TEXT NOT NULL"), col("task_id", "TEXT NOT NULL"), col("title", "TEXT NOT NULL"),
        col("assignee", "TEXT NOT NULL"), col("due_at", "TS"), col("status", "TEXT NOT NULL"),
        col("outcome", "TEXT"), col("assigned_at", "TS NOT NULL"), col("completed_at", "TS"),
    ),
    ("action_id", "task_id"),
    (Index("ix_rm_joint_action_tasks_assignee", "assignee, status"),),
)

JOINT_ACTION_CASES = Table(
    "rm_joint_action_cases",
    (col("action_id", "TEXT NOT NULL"), col("case_id", "TEXT NOT NULL"), col("position", "INT NOT NULL")),
    ("action_id", "case_id"),
    (Index("ix_rm_joint_action_cases_case", "case_id, action_id"),),
)


class JointActionsProjection(Projection):
    name = "joint_actions"
    version = 1
    tables = (JOINT_ACTIONS, JOINT_ACTION_PARTICIPANTS, JOINT_ACTION_TASKS, JOINT_ACTION_CASES)
    handles = (
        JointAction.Proposed, JointAction.ParticipantJoined, JointAction.ParticipantDeclined,
        JointAction.TaskAssigned, JointAction.TaskCompleted, JointAction.Closed,
    )

    def apply(self, cur: Any, events: Sequence[Positioned]) -> None:
        sql = self.sql
        actions = RowSet(sql, JOINT_ACTIONS)
        actions.load(cur, (str(e.originator_id) for _, e in events))
        participants: dict[tuple[str, str], list[Any]] = {}  # rows created in this batch
        participant_updates: list[tuple[Any, ...]] = []  # answers to invitations from earlier batches
        tasks: dict[tuple[str, str], list[Any]] = {}
        task_updates: list[tuple[Any, ...]] = []
        cases: list[tuple[str, str, int]] = []
        for _, e in events:
            action_id = str(e.originator_id)
            kind = type(e)
            if kind is JointAction.Proposed:
                if action_id in actions.rows:
                    continue
                actions.put({
                    "id": action_id, "title": e.title, "objective": e.objective, "coordinator": e.coordinator,
                    "status": "ACTIVE", "common_position": None, "version": e.originator_version,
                    "proposed_at": sql.ts(e.timestamp), "closed_at": None, "proposed_by_client": e.actor.client_id,
                })
                participants[(action_id, e.coordinator)] = [action_id, e.coordinator, "COORDINATOR", None, None]
                for code in e.participants:
                    participants[(action_id, code)] = [action_id, code, "INVITED", None, None]
                cases += [(action_id, str(c), i) for i, c in enumerate(e.case_ids)]
                continue
            row = apply_versioned(actions, e, action_id)
            if row is None:
                continue
            if kind is JointAction.ParticipantJoined or kind is JointAction.ParticipantDeclined:
                answer = ("JOINED" if kind is JointAction.ParticipantJoined else "DECLINED",
                          getattr(e, "reason", None), sql.ts(e.timestamp))
                if (action_id, e.jurisdiction) in participants:
                    participants[(action_id, e.jurisdiction)][2:] = answer
                else:
                    participant_updates.append((*answer, action_id, e.jurisdiction))
            elif kind is JointAction.TaskAssigned:
                tasks[(action_id, e.task_id)] = [action_id, e.task_id, e.title, e.assignee, sql.ts(e.due_at),
                                                 "OPEN", None, sql.ts(e.timestamp), None]
            elif kind is JointAction.TaskCompleted:
                if (action_id, e.task_id) in tasks:
                    tasks[(action_id, e.task_id)][5:] = ["COMPLETED", e.outcome, tasks[(action_id, e.task_id)][7],
                                                         sql.ts(e.timestamp)]
                else:
                    task_updates.append((e.outcome, sql.ts(e.timestamp), action_id, e.task_id))
            elif kind is JointAction.Closed:
                row.update(status="CLOSED", common_position=e.common_position, closed_at=sql.ts(e.timestamp))
        actions.flush(cur)
        sql.upsert_rows(cur, JOINT_ACTION_PARTICIPANTS, [tuple(v) for v in participants.values()])
        if participant_updates:
            cur.executemany(f"UPDATE {sql.t(JOINT_ACTION_PARTICIPANTS)} SET status = ?, reason = ?, answered_at = ? "
                            "WHERE action_id = ? AND jurisdiction = ?", participant_updates)
        sql.upsert_rows(cur, JOINT_ACTION_TASKS, [tuple(v) for v in tasks.values()])
        if task_updates:
            cur.executemany(f"UPDATE {sql.t(JOINT_ACTION_TASKS)} SET status = 'COMPLETED', outcome = ?, "
                            "completed_at = ? WHERE action_id = ? AND task_id = ?", task_updates)
        sql.insert_ignore_rows(cur, JOINT_ACTION_CASES, cases)


_COLUMNS = "a.id, a.title, a.objective, a.coordinator, a.status, a.common_position, a.version, a.proposed_at, a.closed_at"
_VISIBLE = ("EXISTS (SELECT 1 FROM rm_joint_action_participants p WHERE p.action_id = a.id AND p.jurisdiction = ?)")


def _row(r: Sequence[Any]) -> JointActionRow:
    return JointActionRow(id=r[0], title=r[1], objective=r[2], coordinator=r[3], status=r[4], common_position=r[5],
                          version=int(r[6]), proposed_at=read_ts(r[7]), closed_at=read_ts(r[8]))


@dataclass(frozen=True)
class LinkedCaseRow:
    """A case linked into a joint action, as an invitation names it."""

    case_id: str
    reference: str
    title: str


class JointActionsView:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.sql = Sql(db.dialect)

    def get(self, jurisdiction: str, action_id: str) -> JointActionRow | None:
        return self.get_many(jurisdiction, [action_id]).get(str(action_id))

    def get_many(self, jurisdiction: str, ids: Sequence[str]) -> dict[str, JointActionRow]:
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, f"SELECT {_COLUMNS} FROM rm_joint_actions a WHERE a.id IN ({{in}}) AND {_VISIBLE}",
                             [str(i) for i in ids], after=(jurisdiction,))
        return {r.id: r for r in map(_row, rows)}

    def for_cases(self, jurisdiction: str, case_ids: Sequence[str]) -> dict[str, list[JointActionRow]]:
        out: dict[str, list[JointActionRow]] = {str(i): [] for i in case_ids}
        statement = (f"SELECT jc.case_id, {_COLUMNS} FROM rm_joint_action_cases jc "
                     f"JOIN rm_joint_actions a ON a.id = jc.action_id WHERE jc.case_id IN ({{in}}) AND {_VISIBLE} "
                     "ORDER BY a.proposed_at, a.id")
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, statement, list(out), after=(jurisdiction,))
        for r in rows:
            out[r[0]].append(_row(r[1:]))
        return out

    def invitations(self, jurisdiction: str) -> list[JointActionRow]:
        """Active actions J is invited to and has not yet answered, oldest first."""
        rows = self.db.query(f"SELECT {_COLUMNS} FROM rm_joint_action_participants p "
                             "JOIN rm_joint_actions a ON a.id = p.action_id "
                             "WHERE p.jurisdiction = ? AND p.status = 'INVITED' AND a.status = 'ACTIVE' "
                             "ORDER BY a.proposed_at, a.id", (jurisdiction,))
        return [_row(r) for r in rows]

    def page(self, jurisdiction: str, *, first: int, after: str | None = None) -> Page[JointActionRow]:
        """The actions J takes part in, newest first (keyset on proposed_at, id)."""
        first = max(0, min(int(first), 500))
        where, params = [_VISIBLE], [jurisdiction]
        if after:
            parts = decode_cursor(after, 2)
            if parts is None:
                raise InvalidCursorError("the cursor `after` is not one this API issued")
            at = self.sql.ts(read_ts(parts[0]))
            where.append("(a.proposed_at < ? OR (a.proposed_at = ? AND a.id > ?))")
            params += [at, at, parts[1]]
        statement = (f"SELECT {_COLUMNS} FROM rm_joint_actions a WHERE {' AND '.join(where)} "
                     "ORDER BY a.proposed_at DESC, a.id LIMIT ?")
        rows = [_row(r) for r in self.db.query(statement, (*params, first + 1))]
        items = rows[:first]
        cursors = [encode_cursor(r.proposed_at.isoformat(), r.id) for r in items]
        return Page(items=items, cursors=cursors, has_next_page=len(rows) > first,
                    end_cursor=cursors[-1] if cursors else None)

    def participants(self, ids: Sequence[str]) -> dict[str, list[JointParticipantRow]]:
        out: dict[str, list[JointParticipantRow]] = {str(i): [] for i in ids}
        order = {"COORDINATOR": 0, "JOINED": 1, "INVITED": 2, "DECLINED": 3}
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, "SELECT action_id, jurisdiction, status, reason FROM rm_joint_action_participants "
                                  "WHERE action_id IN ({in})", list(out))
        for r in sorted(rows, key=lambda r: (order.get(r[2], 9), r[1])):
            out[r[0]].append(JointParticipantRow(jurisdiction=r[1], status=r[2], reason=r[3]))
        return out

    def tasks(self, ids: Sequence[str]) -> dict[str, list[JointTaskRow]]:
        out: dict[str, list[JointTaskRow]] = {str(i): [] for i in ids}
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, "SELECT action_id, task_id, title, assignee, due_at, status, outcome, completed_at "
                                  "FROM rm_joint_action_tasks WHERE action_id IN ({in}) ORDER BY assigned_at, task_id",
                             list(out))
        for r in rows:
            out[r[0]].append(JointTaskRow(id=r[1], title=r[2], assignee=r[3], due_at=read_ts(r[4]), status=r[5],
                                          outcome=r[6], completed_at=read_ts(r[7])))
        return out

    def linked_cases(self, ids: Sequence[str]) -> dict[str, list[LinkedCaseRow]]:
        """Each action's cases by reference and title (for its invitees: the cases themselves
        are visible only through the visibility read model)."""
        out: dict[str, list[LinkedCaseRow]] = {str(i): [] for i in ids}
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, "SELECT jc.action_id, jc.case_id, c.reference, c.title FROM rm_joint_action_cases jc "
                                  "JOIN rm_cases c ON c.id = jc.case_id WHERE jc.action_id IN ({in}) "
                                  "ORDER BY jc.action_id, jc.position", list(out))
        for action_id, case_id, reference, title in rows:
            out[action_id].append(LinkedCaseRow(case_id=case_id, reference=reference, title=title))
        return out

    def case_ids(self, ids: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {str(i): [] for i in ids}
        with self.db.transaction(write=False) as cur:
            rows = select_in(cur, "SELECT action_id, case_id FROM rm_joint_action_cases WHERE action_id IN ({in}) "
                                  "ORDER BY action_id, position", list(out))
        for action_id, case_id in rows:
            out[action_id].append(case_id)
        return out
