"""`casebridge projections status|rebuild [NAME]` and `casebridge worker`."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from typing import Any

from casebridge.cli.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("projections", help="inspect and rebuild the read models")
    psub = p.add_subparsers(dest="projections_command", metavar="ACTION")
    s = psub.add_parser("status", help="position, head of the log, lag, version and status of each read model")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_status)
    r = psub.add_parser("rebuild", help="rebuild read models from the first event (old rows keep serving until done)")
    r.add_argument("name", nargs="?", help="one read model (default: all)")
    r.add_argument("--page-size", type=int, default=1000, help="events per transaction (default 1000)")
    r.set_defaults(func=cmd_rebuild)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    w = sub.add_parser("worker", help="run the projections as a separate process (PostgreSQL; one active, others standby)")
    w.add_argument("--page-size", type=int, default=1000, help="events per transaction (default 1000)")
    w.add_argument("--safety-timeout", type=float, default=60.0,
                   help="seconds between re-checks of the log if no wake-up arrives (default 60)")
    w.set_defaults(func=cmd_worker)


def _compose() -> tuple[Any, Any, Any, Any]:
    """Settings, database, application and jurisdiction registry (the composition root)."""
    from casebridge.application.app import CaseBridge
    from casebridge.cli.core import migrated_settings
    from casebridge.domain.jurisdictions import JurisdictionRegistry
    from casebridge.infra.database import Database

    settings = migrated_settings()
    registry = JurisdictionRegistry.load(settings.jurisdictions_file or None)
    app = CaseBridge(env=settings.database.eventsourcing_env(), registry=registry)
    return settings, Database(settings.database), app, registry


def cmd_status(args: argparse.Namespace) -> int:
    from casebridge.projections import catalog
    from casebridge.projections.tables import SHADOW_SUFFIX
    from casebridge.projections.tracking import read_failures, read_positions

    settings, db, app, registry = _compose()
    try:
        head = app.max_position()
        stored = {r.name: r for r in read_positions(db)}
        failed = {f.name: f for f in read_failures(db)}
        code = {p.name: p for p in catalog.build(db.dialect, registry)}
        out = []
        for name in sorted(set(code) | {n for n in stored if not n.endswith(SHADOW_SUFFIX)}):
            row, projection = stored.get(name), code.get(name)
            position = row.position if row else 0
            status = row.status if row else "not started"
            if row and projection and (row.version, row.config) != (projection.version, projection.config()):
                status = f"{status}, stale (rebuilds on next start)"
            shadow = stored.get(name + SHADOW_SUFFIX)
            failure = failed.get(name)
            if failure is not None:
                status = f"FAILING at position {failure.position} ({failure.attempts} attempts): {failure.error}"
            out.append({
                "name": name, "position": position, "head": head, "lag": max(0, head - position),
                "version": row.version if row else None, "code_version": projection.version if projection else None,
                "status": status, "updated_at": row.updated_at.isoformat() if row and row.updated_at else None,
                "rebuild_position": shadow.position if shadow else None,
                "failure": None if failure is None else {
                    "position": failure.position, "error": failure.error, "attempts": failure.attempts,
                    "failed_at": failure.failed_at.isoformat() if failure.failed_at else None},
            })
    finally:
        db.close()
        app.close()
    if args.json:
        print(json.dumps({"head": head, "projections": out}, indent=2))
        return 1 if failed else 0
    print(f"storage: {settings.database.redacted()}   head of the log: {head}")
    print(f"{'NAME':<18} {'POSITION':>9} {'LAG':>7} {'VERSION':>8}  STATUS")
    for r in out:
        version = f"{r['version']}" + (f"->{r['code_version']}" if r["version"] != r["code_version"] else "")
        extra = f" (new copy at {r['rebuild_position']})" if r["rebuild_position"] is not None else ""
        print(f"{r['name']:<18} {r['position']:>9} {r['lag']:>7} {version:>8}  {r['status']}{extra}")
    if failed:
        print("a read model cannot apply an event: see README, Operations, \"When a read model fails on an event\"")
    return 1 if failed else 0


class ProgressBar:
    """A one-line progress bar with ETA on stderr."""

    def __init__(self, stream: Any = None, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.started: dict[str, tuple[float, int]] = {}
        self.last = 0.0
        self.finished: set[str] = set()

    def __call__(self, name: str, position: int, head: int) -> None:
        now = time.monotonic()
        start = self.started.setdefault(name, (now, position))
        done = position >= head
        if name in self.finished or (not done and now - self.last < 0.2):
            return
        if done:
            self.finished.add(name)
        self.last = now
        fraction = 1.0 if head <= 0 else min(1.0, position / head)
        filled = int(fraction * self.width)
        elapsed = now - start[0]
        rate = (position - start[1]) / elapsed if elapsed > 0 else 0.0
        eta = (head - position) / rate if rate > 0 else 0.0
        line = (f"\r{name:<18} [{'#' * filled}{'.' * (self.width - filled)}] {fraction:6.1%} "
                f"{position:>9}/{head:<9} {rate:>8.0f} positions/s  ETA {_clock(eta)}")
        stream = self.stream or sys.stderr
        stream.write(line + ("\n" if done else ""))
        stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def cmd_rebuild(args: argparse.Namespace) -> int:
    from casebridge.projections import catalog
    from casebridge.projections.rebuild import RebuildFailedError, RebuildInProgressError, rebuild_all
    from casebridge.projections.runner import ApplicationLog

    if args.name and args.name not in catalog.NAMES:
        raise CliError(f"unknown read model {args.name!r}; known: {', '.join(catalog.NAMES)}")
    settings, db, app, registry = _compose()
    try:
        reached = rebuild_all(db, ApplicationLog(app.recorder, app.mapper), registry,
                              [args.name] if args.name else None, page_size=args.page_size, progress=ProgressBar())
    except (RebuildInProgressError, RebuildFailedError) as exc:
        raise CliError(str(exc)) from None
    finally:
        db.close()
        app.close()
    for name, position in reached.items():
        print(f"rebuilt {name} up to position {position}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from casebridge.projections.worker import run_worker

    settings, db, app, registry = _compose()
    if not db.is_postgres:
        db.close()
        app.close()
        raise CliError("`casebridge worker` needs PostgreSQL; with SQLite, `casebridge serve` runs the projections "
                       "in-process (use `casebridge projections rebuild` to rebuild them offline)")
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"casebridge worker: projections for {settings.database.redacted()} (pid {_pid()})", file=sys.stderr)
    checkpoints = None
    if settings.checkpoint_interval > 0:  # the worker also signs checkpoints; concurrent checkpointers settle on one
        from casebridge.infra.audit.checkpoints import Checkpointer, PeriodicCheckpoints

        checkpoints = PeriodicCheckpoints(Checkpointer(db), settings.checkpoint_interval).start()
    try:
        run_worker(app, db, registry, page_size=args.page_size, safety_timeout=args.safety_timeout, stop=stop)
    finally:
        if checkpoints is not None:
            checkpoints.stop()
        db.close()
        app.close()
    return 0


def _pid() -> int:
    import os

    return os.getpid()
