"""Who is competent for a trader in online trading (网络交易), from its subject alone.

投诉举报办法 Art 27 [V] (mirrored by 程序规定 Art 10 [R]): a case against a platform operator
(电子商务平台经营者) goes to the regulator of its domicile (住所地); a case against a seller on a
platform to the regulator of the seller's actual place of business (实际经营地); the regulator of
the platform operator's domicile may handle a seller's case if it received the lead first.

The answer names each competent jurisdiction with the rule that makes it so, in words, and the
article; what it cannot know (where the lead arrived first, which office filed first: 行政处罚法
Art 25) stays a condition in the answer, for the caller to weigh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from casebridge.domain.errors import ValidationError
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.values import Subject, SubjectKind

ONLINE_TRADING_ARTICLE = "市场监督管理投诉举报处理暂行办法 第二十七条; 市场监督管理行政处罚程序规定 第十条"


class CompetenceRule(Enum):
    PLATFORM_OPERATOR_DOMICILE = "PLATFORM_OPERATOR_DOMICILE"
    SELLER_PLACE_OF_BUSINESS = "SELLER_PLACE_OF_BUSINESS"
    PLATFORM_DOMICILE_IF_FIRST_RECEIVED = "PLATFORM_DOMICILE_IF_FIRST_RECEIVED"


_WORDS = {
    CompetenceRule.PLATFORM_OPERATOR_DOMICILE: (
        "平台经营者的违法行为由其住所地市场监督管理部门管辖。",
        "A platform operator's case is handled by the market regulator of its domicile (住所地).",
    ),
    CompetenceRule.SELLER_PLACE_OF_BUSINESS: (
        "平台内经营者的违法行为由其实际经营地市场监督管理部门管辖。",
        "A seller on a platform is handled by the market regulator of its actual place of business (实际经营地).",
    ),
    CompetenceRule.PLATFORM_DOMICILE_IF_FIRST_RECEIVED: (
        "电子商务平台经营者住所地市场监督管理部门先行收到线索的，可以管辖平台内经营者的违法行为。",
        "The market regulator of the platform operator's domicile may handle the seller's case "
        "if it received the lead first.",
    ),
}


@dataclass(frozen=True)
class Competence:
    """One competent jurisdiction and why: the rule, in Chinese and English, and its article."""

    jurisdiction: str
    rule: CompetenceRule
    conditional: bool  # True: competent only if a condition holds (the rule's words say which)
    article: str = ONLINE_TRADING_ARTICLE

    @property
    def explanation_zh(self) -> str:
        return _WORDS[self.rule][0]

    @property
    def explanation_en(self) -> str:
        return _WORDS[self.rule][1]


def competent_jurisdictions(subject: Subject, registry: JurisdictionRegistry, field: str = "subject") -> list[Competence]:
    """The jurisdictions competent for `subject` under the online-trading rule, the unconditional
    one first. A subject the rule does not cover, or one missing the place the rule needs, raises
    a ValidationError naming the field that would decide it."""
    if subject.kind is SubjectKind.PLATFORM_OPERATOR:
        if not subject.domicile:
            raise ValidationError("a platform operator's competent regulator is that of its domicile: give the domicile",
                                  field=f"{field}.domicile")
        return [Competence(registry.require(subject.domicile, f"{field}.domicile"),
                           CompetenceRule.PLATFORM_OPERATOR_DOMICILE, conditional=False)]
    if not subject.on_platform:
        raise ValidationError(
            "the online-trading rule covers platform operators and sellers on a platform; for other traders the "
            "place of the violation decides (行政处罚法 Art 22)", field=f"{field}.kind")
    if not subject.place_of_business:
        raise ValidationError("a seller on a platform is handled where it actually does business: give the place of business",
                              field=f"{field}.placeOfBusiness")
    out = [Competence(registry.require(subject.place_of_business, f"{field}.placeOfBusiness"),
                      CompetenceRule.SELLER_PLACE_OF_BUSINESS, conditional=False)]
    operator = subject.platform_operator
    if operator is not None and operator.domicile and operator.domicile != subject.place_of_business:
        out.append(Competence(registry.require(operator.domicile, f"{field}.platformOperator.domicile"),
                              CompetenceRule.PLATFORM_DOMICILE_IF_FIRST_RECEIVED, conditional=True))
    return out


# -- the first filer (行政处罚法 Art 25) ---------------------------------------------------------


@dataclass(frozen=True)
class EarlierFiling:
    """Another jurisdiction has had an open case on the same credit code since `since`: all that is
    disclosed (no reference, no title), enough to ask it for evidence or propose a joint action."""

    jurisdiction: str
    since: datetime


def earlier_filings(open_cases: Iterable[tuple[str, datetime]], caller: str, opened_at: datetime) -> list[EarlierFiling]:
    """From (handling jurisdiction, opened at) of the open cases on one credit code, the other
    jurisdictions that filed before `opened_at`, each once with its earliest filing, earliest first.
    Under 行政处罚法 Art 25 the first of them to file handles; the caller should transfer or coordinate."""
    earliest: dict[str, datetime] = {}
    for jurisdiction, since in open_cases:
        if jurisdiction == caller or since > opened_at:
            continue
        if jurisdiction not in earliest or since < earliest[jurisdiction]:
            earliest[jurisdiction] = since
    return [EarlierFiling(j, s) for j, s in sorted(earliest.items(), key=lambda item: (item[1], item[0]))]
