"""Value objects and enumerations shared by the aggregates.

Enums are plain `Enum`s (not `str` subclasses) so the event transcoder can store them by
name; a str-Enum would silently come back from the store as a plain string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from casebridge.domain.credit_code import CreditCode
from casebridge.domain.errors import (
    BlankFieldError,
    FieldTooLongError,
    InvalidSha256Error,
    UnacceptableCharacterError,
    ValidationError,
)
from casebridge.domain.jurisdictions import JurisdictionRegistry


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
class PlatformOperator:
    """The operator of the platform a seller trades on (电子商务平台经营者): its name, its unified
    social credit code and its registered domicile (住所地, a jurisdiction code), as far as known."""

    name: str
    credit_code: str | None = None
    domicile: str | None = None


@dataclass(frozen=True)
class Subject:
    """The trader a case is about.

    Every field after `product_codes` came with issue 11 and is optional, so subjects recorded
    before it (events are forever) read back with them empty. `credit_code` is a valid GB 32100
    unified social credit code, kept as its 18 characters; `domicile` (住所地) and
    `place_of_business` (实际经营地) are jurisdiction codes of the registry; a seller on a
    platform names the platform's operator and its store (URL or account)."""

    name: str
    kind: SubjectKind
    identifier: str | None = None  # free text: a credit code, store URL, ... as the caller knows it
    product_codes: tuple[str, ...] = ()
    credit_code: str | None = None
    domicile: str | None = None
    place_of_business: str | None = None
    platform_operator: PlatformOperator | None = None
    store: str | None = None

    @classmethod
    def create(
        cls, name: str, kind: SubjectKind, identifier: str | None = None, product_codes=(), *,
        credit_code: str | None = None, domicile: str | None = None, place_of_business: str | None = None,
        platform_operator_name: str | None = None, platform_operator_credit_code: str | None = None,
        platform_operator_domicile: str | None = None, store: str | None = None,
        registry: JurisdictionRegistry | None = None, field: str = "subject",
    ) -> Subject:
        """A checked subject; a bad value raises a ValidationError naming `field`.<its path>.
        Jurisdiction codes need the `registry` to be checked against."""
        codes = tuple(identifier_text(c, f"{field}.productCodes", limit=64) for c in product_codes)
        ident = identifier_text(identifier, f"{field}.identifier", limit=512) if identifier else None
        operator = None
        if any(v is not None and str(v).strip() for v in
               (platform_operator_name, platform_operator_credit_code, platform_operator_domicile)):
            if kind is SubjectKind.PLATFORM_OPERATOR:
                raise ValidationError("a platform operator is not a seller on another platform",
                                      field=f"{field}.platformOperator")
            operator = PlatformOperator(
                name=text(platform_operator_name, f"{field}.platformOperator.name"),
                credit_code=_credit_code(platform_operator_credit_code, f"{field}.platformOperator.creditCode"),
                domicile=_jurisdiction(platform_operator_domicile, f"{field}.platformOperator.domicile", registry),
            )
        return cls(
            name=text(name, f"{field}.name"), kind=kind, identifier=ident, product_codes=codes,
            credit_code=_credit_code(credit_code, f"{field}.creditCode"),
            domicile=_jurisdiction(domicile, f"{field}.domicile", registry),
            place_of_business=_jurisdiction(place_of_business, f"{field}.placeOfBusiness", registry),
            platform_operator=operator,
            store=optional_text(store, f"{field}.store", limit=512),
        )

    def __repr__(self) -> str:
        # Idempotency fingerprints hash the command's arguments with repr (application/idempotency.py)
        # and stored ones never change: a subject without the issue 11 fields reads exactly as before.
        shown = [f"{name}={getattr(self, name)!r}" for name in ("name", "kind", "identifier", "product_codes")]
        shown += [f"{name}={getattr(self, name)!r}" for name in
                  ("credit_code", "domicile", "place_of_business", "platform_operator", "store") if getattr(self, name) is not None]
        return f"Subject({', '.join(shown)})"

    @property
    def on_platform(self) -> bool:
        """A seller trading on an online platform (marketplace or livestream), or any subject
        that names the platform it trades on."""
        return self.kind in (SubjectKind.MARKETPLACE_SELLER, SubjectKind.LIVESTREAM_SELLER) \
            or self.platform_operator is not None

    @property
    def known_credit_code(self) -> str | None:
        """The subject's credit code: the one given, else the free identifier when it is a valid
        code (subjects recorded before the field existed); what the first-filer check matches on."""
        if self.credit_code:
            return self.credit_code
        if self.identifier and CreditCode.is_valid(self.identifier):
            return CreditCode.parse(self.identifier).value
        return None


def _credit_code(value: str | None, field: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return CreditCode.parse(value, field=field).value


def _jurisdiction(value: str | None, field: str, registry: JurisdictionRegistry | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    if registry is None:
        raise ValueError(f"{field}: a jurisdiction code needs the registry to be checked against")
    return registry.require(str(value).strip(), field=field)


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
