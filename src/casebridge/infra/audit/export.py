"""Court exports: one file with a case's events, their digests, the latest signed
checkpoints, the public keys, and a detached signature over the whole.

`verify_export(data)` checks a file offline with nothing but the file and names what is
wrong. The format is documented in the README ("Court export format").
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet

from casebridge.domain.integrity import ChainLink, event_digest, verify_chain
from casebridge.infra.audit.checkpoints import CHECKPOINT_TYPE, Checkpointer
from casebridge.infra.audit.keys import ALGORITHM, AuditKeyStore
from casebridge.infra.audit.verification import PAGE
from casebridge.infra.event_log import SqlEventLog

FORMAT = "casebridge-case-export/1"
EXPORT_TYPE = "casebridge-export+jws"


def canonical(value: Any) -> bytes:
    """The one serialisation the signature covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def build_export(log: SqlEventLog, checkpointer: Checkpointer, keys: AuditKeyStore, *, case_id: UUID,
                 reference: str, streams: Sequence[tuple[UUID, str]], complete_up_to: int) -> bytes:
    """`streams`: (stream id, type) for the case and the evidence requests and joint actions
    concerning it, the case first, found as of log position `complete_up_to`. The file holds
    their events up to that position and the checkpoints taken up to it, and says so."""
    exported = []
    heads = []
    for stream_id, kind in streams:
        events, after = [], 0
        while True:
            page = log.stream_page([stream_id], after, PAGE, upto=complete_up_to)
            for s in page:
                events.append({"version": s.originator_version, "topic": s.topic, **_state(s.state),
                               "digest": event_digest(stream_id, s.originator_version, s.topic, s.state)})
            if len(page) < PAGE:
                break
            after = page[-1].id
        exported.append({"streamId": stream_id.hex, "type": kind, "events": events})
        head = checkpointer.latest_head(stream_id, upto=complete_up_to)
        if head is not None:
            heads.append(head.jws)
    signer = keys.active()
    document = {
        "format": FORMAT,
        "exportedAt": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "caseId": case_id.hex,
        "reference": reference,
        "completeUpToPosition": complete_up_to,
        "streams": exported,
        "checkpoints": heads,
        "keys": keys.public_jwks(),
    }
    signed = jws.serialize_compact({"alg": ALGORITHM, "kid": signer.kid, "typ": EXPORT_TYPE}, canonical(document), signer.key)
    header, _, signature = signed.split(".")
    return canonical({"document": document, "signature": f"{header}..{signature}"}) + b"\n"


def _state(state: bytes) -> dict[str, str]:
    try:
        return {"state": state.decode("utf-8")}  # stored JSON text: readable, and byte-exact on re-encoding
    except UnicodeDecodeError:
        return {"stateBase64": base64.b64encode(state).decode("ascii")}


@dataclass
class ExportVerification:
    problems: list[str] = field(default_factory=list)
    case_id: str | None = None
    reference: str | None = None
    event_count: int = 0
    stream_count: int = 0
    checkpoint_count: int = 0
    complete_up_to: int | None = None  # the log position up to which the export is complete

    @property
    def valid(self) -> bool:
        return not self.problems


def verify_export(data: bytes) -> ExportVerification:
    report = ExportVerification()
    try:
        parsed = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        report.problems.append(f"the file is not UTF-8 text (byte {exc.start}): it is not a CaseBridge export or was damaged")
        return report
    except json.JSONDecodeError as exc:
        report.problems.append(f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}): it was damaged or edited")
        return report
    if not isinstance(parsed, dict) or not isinstance(parsed.get("document"), dict) or not isinstance(parsed.get("signature"), str):
        report.problems.append("the file has no 'document' and 'signature': it is not a CaseBridge export")
        return report
    expected = canonical(parsed) + b"\n"
    if data != expected and data != expected[:-1]:
        at = next((i for i, (a, b) in enumerate(zip(data, expected)) if a != b), min(len(data), len(expected)))
        report.problems.append(f"the file was edited outside CaseBridge: it departs from its canonical form at byte {at}")
    document = parsed["document"]
    if document.get("format") != FORMAT:
        report.problems.append(f"unknown format {document.get('format')!r}; this checker reads {FORMAT}")
        return report
    report.case_id, report.reference = document.get("caseId"), document.get("reference")
    complete = document.get("completeUpToPosition")
    if isinstance(complete, int) and not isinstance(complete, bool) and complete >= 0:
        report.complete_up_to = complete  # covered by the signature, like every field of the document
    elif complete is not None:
        report.problems.append(f"completeUpToPosition is not a log position: {complete!r}")
    try:
        keyset = KeySet([ECKey.import_key(k) for k in document["keys"]["keys"]])
    except (KeyError, TypeError, ValueError, JoseError):
        report.problems.append("the export's public keys cannot be read")
        return report
    _check_signature(parsed["signature"], document, keyset, report)
    streams = {s.get("streamId"): s for s in document.get("streams", []) if isinstance(s, dict)}
    report.stream_count = len(streams)
    signed = _signed_checkpoints(document.get("checkpoints", []), keyset, streams, report)
    for stream_id, stream in streams.items():
        _check_stream(stream, signed.get(stream_id), report)
    return report


def _check_signature(signature: str, document: dict, keyset: KeySet, report: ExportVerification) -> None:
    header_b64, sep, sig = signature.partition("..")
    if not sep:
        report.problems.append("the signature is not a detached compact JWS")
        return
    try:
        jws.deserialize_compact(signature, keyset, payload=canonical(document), algorithms=[ALGORITHM])
    except (JoseError, ValueError) as exc:
        report.problems.append(f"the signature does not match the document ({type(exc).__name__}): "
                               "the content was altered after export, or it was signed with a key not in the file")


def _check_stream(stream: dict, checkpoint: tuple[int, str, str] | None, report: ExportVerification) -> None:
    """The stream's events, their digests and their chain, held against its signed checkpoint
    (which also tells which event was altered when a link breaks just before it)."""
    stream_id, kind = stream.get("streamId"), stream.get("type")
    links = []
    for event in stream.get("events", []):
        report.event_count += 1
        try:
            state = event["state"].encode("utf-8") if "state" in event else base64.b64decode(event["stateBase64"])
            link = ChainLink(int(event["version"]), str(event["topic"]), state)
            digest = event_digest(stream_id, link.version, link.topic, link.state)
        except (KeyError, TypeError, ValueError):
            report.problems.append(f"{kind} {stream_id}: an event entry is incomplete or malformed")
            continue
        if digest != event.get("digest"):
            report.problems.append(f"{kind} {stream_id} version {link.version}: the stated digest does not match "
                                   "the event's content (the event or its digest was altered)")
        links.append(link)
    result = verify_chain(stream_id, links, checkpoint[:2] if checkpoint else None)
    if not result.valid:
        against = f" (against its checkpoint of {checkpoint[2]})" if checkpoint else ""
        report.problems.append(f"{kind} {stream_id}{against}: {result.problem}")


def _signed_checkpoints(tokens: list, keyset: KeySet, streams: dict, report: ExportVerification) -> dict[str, tuple[int, str, str]]:
    """stream -> (version, digest, checkpointedAt) of each checkpoint that verifies with the keys."""
    signed: dict[str, tuple[int, str, str]] = {}
    for token in tokens:
        try:
            verified = jws.deserialize_compact(token, keyset, algorithms=[ALGORITHM])
            if verified.protected.get("typ") != CHECKPOINT_TYPE:
                raise ValueError("not a checkpoint")
            claims = json.loads(verified.payload)
            checkpoint = (int(claims["version"]), str(claims["digest"]), str(claims.get("checkpointedAt")))
        except (JoseError, ValueError, TypeError, KeyError):
            report.problems.append("a checkpoint does not verify with the export's keys")
            continue
        report.checkpoint_count += 1
        stream_id = claims.get("stream")
        if stream_id not in streams:
            report.problems.append(f"the checkpoint of stream {stream_id} names a stream the export does not contain")
            continue
        signed[stream_id] = checkpoint
    return signed
