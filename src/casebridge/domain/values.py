"""Value objects and enumerations shared by the aggregates.

Enums are plain `Enum`s (not `str` subclasses) so the event transcoder can store them by
name; a str-Enum would silently come back from the store as a plain string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from casebridge.domain.errors import (
    BlankFieldError,
    FieldTooLongError,
    InvalidSha256Error,
    UnacceptableCharacterError,
)


@dataclass(frozen=True)
class Actor:
    """Who did it: the OAuth client (and the person, for console users) and their jurisdiction.

    `issuer` names the token issuer when it is an external OpenID provider; None is
    CaseBridge's own authorization server (and every event recorded before issuers were)."""

    client_id: str
    jurisdiction: str
    user: str | None = None
    issuer: str | None = None


class SubjectKind(Enum):
    PLATFORM_OPERATOR = "PLATFORM_OPERATOR"
    MARKETPLACE_SELLER = "MARKETPLACE_SELLER"
    LIVESTREAM_SELLER = "LIVESTREAM_SELLER"
    MANUFACTURER = "MANUFACTURER"
    NATURAL_PERSON = "NATURAL_PERSON"


class CaseCategory(Enum):
    PRODUCT_QUALITY = "PRODUCT_QUALITY"
    COUNTERFEIT = "COUNTERFEIT"
    FALSE_ADVERTISING = "FALSE_ADVERTISING"
    PRICING = "PRICING"
    FOOD_SAFETY = "FOOD_SAFETY"
    PERSONAL_INFORMATION = "PERSONAL_INFORMATION"
    OTHER = "OTHER"


class CaseStatus(Enum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class CaseOutcome(Enum):
    PENALTY_DECISION = "PENALTY_DECISION"
    NO_VIOLATION = "NO_VIOLATION"
    REFERRED_TO_POLICE = "REFERRED_TO_POLICE"
    MERGED = "MERGED"


class RefusalReason(Enum):
    """Why a requested office did not assist. Under 行政处罚法 Art 26 an office must assist
    within its competence: the grounds are OUTSIDE_COMPETENCE and OTHER (with detail). The
    earlier EU-style values stay so that old events still read; they are not accepted anew."""

    NOT_NEEDED_AFTER_CONSULTATION = "NOT_NEEDED_AFTER_CONSULTATION"
    CONFIDENTIALITY_NOT_ACCEPTED = "CONFIDENTIALITY_NOT_ACCEPTED"
    PROCEEDINGS_ALREADY_OPEN = "PROCEEDINGS_ALREADY_OPEN"
    OUTSIDE_COMPETENCE = "OUTSIDE_COMPETENCE"
    INSUFFICIENT_INFORMATION = "INSUFFICIENT_INFORMATION"
    OTHER = "OTHER"

    @property
    def accepted(self) -> bool:
        """Whether a new refusal may give this ground (行政处罚法 Art 26)."""
        return self in (RefusalReason.OUTSIDE_COMPETENCE, RefusalReason.OTHER)


class EvidenceRequestStatus(Enum):
    OPEN = "OPEN"
    FULFILLED = "FULFILLED"
    REFUSED = "REFUSED"
    WITHDRAWN = "WITHDRAWN"


class JointActionStatus(Enum):
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"


class ParticipationStatus(Enum):
    COORDINATOR = "COORDINATOR"
    INVITED = "INVITED"
    JOINED = "JOINED"
    DECLINED = "DECLINED"


class TaskStatus(Enum):
    OPEN = "OPEN"
    COMPLETED = "COMPLETED"


@dataclass(frozen=True)
class Subject:
    """The trader a case is about."""

    name: str
    kind: SubjectKind
    identifier: str | None = None  # unified social credit code, store URL, ...
    product_codes: tuple[str, ...] = ()

    @classmethod
    def create(cls, name: str, kind: SubjectKind, identifier: str | None = None, product_codes=()) -> Subject:
        codes = tuple(identifier_text(c, "subject.productCodes", limit=64) for c in product_codes)
        ident = identifier_text(identifier, "subject.identifier", limit=512) if identifier else None
        return cls(name=text(name, "subject.name"), kind=kind, identifier=ident, product_codes=codes)


@dataclass(frozen=True)
class EvidenceItem:
    """A piece of evidence, identified by the SHA-256 of its content (the file stays with its holder)."""

    title: str
    sha256: str
    description: str | None = None

    @classmethod
    def create(cls, title: str, sha256: str, description: str | None = None, field: str = "items") -> EvidenceItem:
        return cls(
            title=text(title, f"{field}.title"),
            sha256=sha256_hex(sha256, f"{field}.sha256"),
            description=optional_text(description, f"{field}.description", limit=4000),
        )


_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


def sha256_hex(value: str, field: str = "sha256") -> str:
    if not isinstance(value, str) or not _SHA256.match(value.strip()):
        raise InvalidSha256Error(field)
    return value.strip().lower()


# What no stored text may hold: the C0 controls except tab, newline and carriage return
# (PostgreSQL cannot store NUL; exports and terminals mangle the rest) and surrogates (a
# Python str holds one only unpaired, and it cannot be encoded as UTF-8 at all).
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# What an identifier (reference, code, key) may not hold besides: any control, bidi
# embeddings/overrides/isolates and marks, zero-width characters and the BOM. They make two
# identifiers look alike, or one look like another, while comparing different.
_DECEPTIVE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def acceptable(value: str, field: str, *, identifier: bool = False) -> str:
    """`value` if every character of it can be stored and shown; otherwise a VALIDATION error
    naming `field`. The one check every text the domain accepts goes through."""
    found = (_DECEPTIVE if identifier else _UNSTORABLE).search(value)
    if found is not None:
        raise UnacceptableCharacterError(field, found.start(), found.group())
    return value


def text(value: str | None, field: str, *, limit: int = 500) -> str:
    if value is None or not str(value).strip():
        raise BlankFieldError(field)
    value = str(value).strip()
    if len(value) > limit:
        raise FieldTooLongError(field, limit)
    return acceptable(value, field)


def identifier_text(value: str | None, field: str, *, limit: int = 64) -> str:
    """A reference, code or key: text as above, and nothing invisible or direction-changing."""
    return acceptable(text(value, field, limit=limit), field, identifier=True)


def optional_text(value: str | None, field: str, *, limit: int = 4000) -> str | None:
    if value is None or not str(value).strip():
        return None
    return text(value, field, limit=limit)
