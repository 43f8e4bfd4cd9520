"""Value objects and enumerations shared by the aggregates.

Enums are plain `Enum`s (not `str` subclasses) so the event transcoder can store them by
name; a str-Enum would silently come back from the store as a plain string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from casebridge.domain.errors import BlankFieldError, FieldTooLongError, InvalidSha256Error


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
    DISPUTED = "DISPUTED"  # a declined transfer awaits settlement or designation (程序规定 Art 14)
    SUSPENDED = "SUSPENDED"  # 中止
    CLOSED = "CLOSED"


class CaseOutcome(Enum):
    PENALTY_DECISION = "PENALTY_DECISION"
    NO_PENALTY = "NO_PENALTY"  # 不予处罚
    NO_VIOLATION = "NO_VIOLATION"
    FILING_REVOKED = "FILING_REVOKED"  # 撤销立案
    TERMINATED = "TERMINATED"  # 终止
    REFERRED_TO_POLICE = "REFERRED_TO_POLICE"
    REFERRED_TO_OTHER_AGENCY = "REFERRED_TO_OTHER_AGENCY"
    MERGED = "MERGED"


class CaseClockPauseReason(Enum):
    """Periods excluded from the decision period (行政处罚法 Art 60)."""

    HEARING = "HEARING"  # 听证
    TESTING_APPRAISAL = "TESTING_APPRAISAL"  # 检测、检验、鉴定
    PUBLIC_NOTICE = "PUBLIC_NOTICE"  # 公告


class RefusalReason(Enum):
    NOT_NEEDED_AFTER_CONSULTATION = "NOT_NEEDED_AFTER_CONSULTATION"
    CONFIDENTIALITY_NOT_ACCEPTED = "CONFIDENTIALITY_NOT_ACCEPTED"
    PROCEEDINGS_ALREADY_OPEN = "PROCEEDINGS_ALREADY_OPEN"
    OUTSIDE_COMPETENCE = "OUTSIDE_COMPETENCE"
    INSUFFICIENT_INFORMATION = "INSUFFICIENT_INFORMATION"
    OTHER = "OTHER"


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
        codes = tuple(text(c, "subject.productCodes", limit=64) for c in product_codes)
        ident = text(identifier, "subject.identifier", limit=512) if identifier else None
        return cls(name=text(name, "subject.name"), kind=kind, identifier=ident, product_codes=codes)


@dataclass(frozen=True)
class OutcomeDetails:
    """What an outcome needs recorded with it: a penalty decision its number, amount (in fen)
    and legal basis; no penalty its ground; a referral to another agency which agency; a merger
    the case it went into (a case id)."""

    decision_number: str | None = None
    amount_fen: int | None = None
    legal_basis: str | None = None
    ground: str | None = None
    agency: str | None = None
    merged_into: str | None = None


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


def text(value: str | None, field: str, *, limit: int = 500) -> str:
    if value is None or not str(value).strip():
        raise BlankFieldError(field)
    value = str(value).strip()
    if len(value) > limit:
        raise FieldTooLongError(field, limit)
    return value


def optional_text(value: str | None, field: str, *, limit: int = 4000) -> str | None:
    if value is None or not str(value).strip():
        return None
    return text(value, field, limit=limit)
