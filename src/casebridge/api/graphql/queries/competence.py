"""`competentJurisdictions(subject)`: which bureaus the online-trading rule makes competent for a
trader (投诉举报办法 Art 27; 程序规定 Art 10), each with the rule in words. Any valid token may ask:
it reads nothing but the registry and the subject given."""

from __future__ import annotations

import strawberry
from strawberry import Info

from casebridge.api.graphql.mutations.case import SubjectInput, subject_from
from casebridge.api.graphql.queries.jurisdictions import InvalidQueryArgumentError
from casebridge.api.graphql.types.jurisdiction import Jurisdiction, jurisdiction_of
from casebridge.domain import competence
from casebridge.domain.errors import ValidationError

CompetenceRule = strawberry.enum(competence.CompetenceRule, description="The rule that makes a jurisdiction competent.")


def _jurisdiction(root: strawberry.Parent[competence.Competence], info: Info) -> Jurisdiction:
    return jurisdiction_of(info, root.jurisdiction)


@strawberry.type(description="A jurisdiction competent for the subject, and the rule that makes it so.")
class CompetentJurisdiction:
    jurisdiction: Jurisdiction = strawberry.field(resolver=_jurisdiction)
    rule: CompetenceRule  # type: ignore[valid-type]
    conditional: bool = strawberry.field(description="Competent only if the condition in the rule's words holds.")
    explanation_zh: str = strawberry.field(name="explanationZh", description="The rule in Chinese.")
    explanation_en: str = strawberry.field(name="explanationEn", description="The rule in English.")
    article: str = strawberry.field(description="Where the rule is written.")


def competent_jurisdictions(info: Info, subject: SubjectInput) -> list[CompetentJurisdiction]:
    registry = info.context.services.registry
    try:
        return competence.competent_jurisdictions(subject_from(subject, registry), registry)  # type: ignore[return-value]
    except ValidationError as error:
        raise InvalidQueryArgumentError(error.field or "subject", error.message) from None
