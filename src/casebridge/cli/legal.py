"""Legal commands: checkpoints, case verification, court exports and their offline check."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from uuid import UUID

from casebridge.cli.core import migrated_settings
from casebridge.cli.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checkpoint", help="sign the head digest of every stream that moved since the last checkpoint")
    p.set_defaults(func=cmd_checkpoint)

    p = sub.add_parser("verify", help="recompute a case's hash chain and hold it against the latest signed checkpoint")
    p.add_argument("case_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("export", help="write a court-ready export of a case (events, digests, checkpoints, keys, signature)")
    p.add_argument("case_id")
    p.add_argument("--out", required=True, help="the file to write")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify-export", help="check a court export offline, with nothing but the file")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify_export)

    p = sub.add_parser("audit-key", help="the audit signing key (checkpoints and exports)")
    p.add_argument("action", choices=["rotate", "show"])
    p.set_defaults(func=cmd_audit_key)


def parse_case_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise CliError(f"not a case id: {text!r}") from None


def cmd_checkpoint(args: argparse.Namespace) -> int:
    from casebridge.infra.audit.checkpoints import Checkpointer
    from casebridge.infra.database import Database

    db = Database(migrated_settings().database)
    try:
        result = Checkpointer(db).checkpoint()
    finally:
        db.close()
    if result.checkpoint_id is None:
        print(f"nothing moved since the last checkpoint (log position {result.log_position})")
    else:
        print(f"checkpoint {result.checkpoint_id}: {result.stream_count} stream(s) signed up to log position {result.log_position}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from casebridge.application.app import CaseBridge
    from casebridge.infra.audit.checkpoints import Checkpointer
    from casebridge.infra.audit.verification import verify_stream_against_checkpoint
    from casebridge.infra.database import Database

    case_id = parse_case_id(args.case_id)
    settings = migrated_settings()
    db = Database(settings.database)
    app = CaseBridge(env=settings.database.eventsourcing_env())
    try:
        report = verify_stream_against_checkpoint(app.recorder, Checkpointer(db), case_id)
    finally:
        app.close()
        db.close()
    if report.event_count == 0 and report.checkpoint is None:  # a checkpointed stream with no events was emptied
        raise CliError(f"no case {case_id}")
    out = {"caseId": str(case_id), "valid": report.valid, "eventCount": report.event_count,
           "headDigest": report.head_digest, "firstInvalidVersion": report.first_invalid_version,
           "problem": report.problem,
           "checkpoint": {"version": report.checkpoint.version, "at": report.checkpoint.checkpointed_at}
           if report.checkpoint else None}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        state = "VALID" if report.valid else f"INVALID at version {report.first_invalid_version}: {report.problem}"
        print(f"case {case_id}: {state}; {report.event_count} events; head digest {report.head_digest}")
        print(f"  checkpoint: {out['checkpoint'] or 'none yet (run `casebridge checkpoint`)'}")
    return 0 if report.valid else 1


def cmd_export(args: argparse.Namespace) -> int:
    from casebridge.application.app import CaseBridge
    from casebridge.infra.audit.checkpoints import Checkpointer
    from casebridge.infra.audit.export import build_export
    from casebridge.infra.audit.keys import AuditKeyStore
    from casebridge.infra.audit.related import streams_concerning
    from casebridge.infra.database import Database
    from casebridge.infra.event_log import SqlEventLog

    case_id = parse_case_id(args.case_id)
    settings = migrated_settings()
    db = Database(settings.database)
    app = CaseBridge(env=settings.database.eventsourcing_env())
    try:
        reference = _reference(app, case_id)
        # Related streams come from the log itself, never from the read models (which may lag).
        log = SqlEventLog(db)
        upto = log.head()
        streams = [(case_id, "Case"), *streams_concerning(log, app.mapper, case_id, upto)]
        data = build_export(log, Checkpointer(db), AuditKeyStore(db), case_id=case_id,
                            reference=reference, streams=streams, complete_up_to=upto)
    finally:
        app.close()
        db.close()
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"wrote {args.out}: case {reference}, {len(streams)} stream(s), complete up to log position {upto}, "
          f"{len(data)} bytes", file=sys.stderr)
    return 0


def cmd_verify_export(args: argparse.Namespace) -> int:
    from casebridge.infra.audit.export import verify_export

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
    report = verify_export(data)
    if args.json:
        print(json.dumps({"valid": report.valid, "problems": report.problems, "caseId": report.case_id,
                          "reference": report.reference, "streams": report.stream_count,
                          "events": report.event_count, "checkpoints": report.checkpoint_count,
                          "completeUpToPosition": report.complete_up_to}, indent=2))
    elif report.valid:
        print(f"VALID: case {report.reference} ({report.case_id}), {report.stream_count} stream(s), "
              f"{report.event_count} events, {report.checkpoint_count} signed checkpoint(s); signature verified")
        print(f"  {_completeness(report.complete_up_to)}")
    else:
        print(f"INVALID: {args.file}")
        for problem in report.problems:
            print(f"  - {problem}")
    return 0 if report.valid else 1


def _reference(app, case_id: UUID) -> str:
    """The case's reference. A tampered stream may no longer replay, and exporting it is
    exactly what a court then needs: take the reference from the stored opening event."""
    from casebridge.application.errors import CaseNotFoundError

    try:
        return app.get_case(case_id).reference
    except CaseNotFoundError:
        raise CliError(f"no case {case_id}") from None
    except Exception:  # the stored events do not replay (changed, deleted or inserted rows)
        stored = app.recorder.select_events(case_id, limit=1)
        if not stored:
            raise CliError(f"no case {case_id}") from None
        try:
            return str(app.mapper.decode_state(stored[0]).get("reference") or "")
        except Exception:
            return ""


def _completeness(position: int | None) -> str:
    if position is None:
        return "completeness: not stated (an export from before CaseBridge recorded it; it may lack related streams)"
    return f"complete up to log position {position}: every event of the case's streams recorded by then is included"


def cmd_audit_key(args: argparse.Namespace) -> int:
    from casebridge.infra.audit.keys import AuditKeyStore
    from casebridge.infra.database import Database

    db = Database(migrated_settings().database)
    try:
        store = AuditKeyStore(db)
        key = store.rotate() if args.action == "rotate" else store.active()
        print(json.dumps(key.public_jwk, indent=2))
    finally:
        db.close()
    return 0
