"""The demo data set: a few realistic cases across Hangzhou, Shanghai, Suzhou and Shenzhen.

Loaded through the application like any client would, with fixed command ids, so running
it again changes nothing (the idempotency records answer every step). The demo clients
have fixed, public secrets: they are for trying CaseBridge out, never for production.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from casebridge.application.app import CaseBridge
from casebridge.domain.calendar import WorkingDayCalendar
from casebridge.domain.jurisdictions import JurisdictionRegistry
from casebridge.domain.values import (
    Actor,
    CaseCategory,
    CaseOutcome,
    OutcomeDetails,
    EvidenceItem,
    Subject,
    SubjectKind,
)
from casebridge.infra.database import Database
from casebridge.infra.settings import Settings

ALL_SCOPES = "cases:read cases:write evidence:write joint-actions:write history:read"

DEMO_CLIENTS = (
    ("demo-hangzhou", "330100", "杭州市市场监督管理局 (demo)", ALL_SCOPES),
    ("demo-shanghai", "310000", "上海市市场监督管理局 (demo)", ALL_SCOPES),
    ("demo-suzhou", "320500", "苏州市市场监督管理局 (demo)", ALL_SCOPES),
    ("demo-shenzhen", "440300", "深圳市市场监督管理局 (demo)", ALL_SCOPES),
    ("demo-zhejiang", "330000", "浙江省市场监督管理局 (demo, supervision)", "cases:read cases:write history:read"),
)


def demo_secret(client_id: str) -> str:
    return f"{client_id}-secret-not-for-production"


def load_demo(settings: Settings) -> list[dict[str, Any]]:
    registry = JurisdictionRegistry.load(settings.jurisdictions_file or None)
    calendar = WorkingDayCalendar.load(settings.holidays_file or None)
    clients = _create_clients(settings)
    env = settings.database.eventsourcing_env()
    app = CaseBridge(env=env, registry=registry, calendar=calendar)
    # Requests made "a month ago" so the demo shows an overdue one.
    month_ago = datetime.now(timezone.utc) - timedelta(days=35)
    past = CaseBridge(env=env, registry=registry, calendar=calendar, clock=lambda: month_ago)
    try:
        _load_cases(app, past)
    finally:
        app.close()
        past.close()
    return clients


def _create_clients(settings: Settings) -> list[dict[str, Any]]:
    from casebridge.infra.auth.issuer.clients import ClientStore

    db = Database(settings.database)
    try:
        store = ClientStore(db, JurisdictionRegistry.load(settings.jurisdictions_file or None))
        out = []
        for client_id, jurisdiction, name, scope in DEMO_CLIENTS:
            store.create(jurisdiction=jurisdiction, scope=scope, name=name, client_id=client_id,
                         client_secret=demo_secret(client_id))
            out.append({"client_id": client_id, "client_secret": demo_secret(client_id),
                        "jurisdiction": jurisdiction, "scope": scope, "name": name})
        return out
    finally:
        db.close()


def _actor(client_id: str) -> Actor:
    jurisdiction = next(j for c, j, _, _ in DEMO_CLIENTS if c == client_id)
    return Actor(client_id=client_id, jurisdiction=jurisdiction)


def _load_cases(app: CaseBridge, past: CaseBridge) -> None:
    hz, sh, sz, szn = (_actor(c) for c in ("demo-hangzhou", "demo-shanghai", "demo-suzhou", "demo-shenzhen"))

    chargers = app.open_case(
        hz, command_id="demo/chargers/open", reference="DEMO-330100-2026-001",
        title="直播间销售假冒品牌充电器 Counterfeit branded chargers sold in a livestream",
        summary="Consumers in Hangzhou bought 'original' fast chargers during a livestream; test purchases show counterfeit "
                "units without CCC marking. The seller's registered address is in Shanghai.",
        subject=Subject.create("沪上优选数码直播间", SubjectKind.LIVESTREAM_SELLER, "https://live.example.cn/room/88231",
                               product_codes=("6901234567892",)),
        category=CaseCategory.COUNTERFEIT, legal_basis="《产品质量法》第五条、第五十三条",
    ).aggregate_id
    app.add_evidence(hz, chargers, command_id="demo/chargers/evidence-1",
                     item=EvidenceItem.create("Test purchase receipt and photos", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
    app.request_transfer(hz, chargers, to="310000", command_id="demo/chargers/transfer",
                         reason="The seller is registered and operates from Shanghai (《市场监督管理行政处罚程序规定》第十八条).")

    organic = app.open_case(
        hz, command_id="demo/organic/open", reference="DEMO-330100-2026-002",
        title="网店虚假宣传'有机蔬菜' False 'organic' claims by an online store",
        summary="A marketplace seller labels ordinary vegetables as certified organic; no certificate can be traced.",
        subject=Subject.create("苏鲜农场旗舰店", SubjectKind.MARKETPLACE_SELLER, "91320500MA1XXXXX0K"),
        category=CaseCategory.FALSE_ADVERTISING, legal_basis="《广告法》第二十八条",
    ).aggregate_id
    app.request_transfer(hz, organic, to="320500", command_id="demo/organic/transfer",
                         reason="Seller and warehouse are in Suzhou.")
    app.accept_transfer(sz, organic, command_id="demo/organic/accept")

    closed = app.open_case(
        hz, command_id="demo/scale/open", reference="DEMO-330100-2026-003",
        title="菜市场电子秤作弊 Rigged scales at a wet market",
        summary="Three stalls used tampered electronic scales.",
        subject=Subject.create("张某", SubjectKind.NATURAL_PERSON), category=CaseCategory.PRICING,
    ).aggregate_id
    app.close_case(hz, closed, outcome=CaseOutcome.PENALTY_DECISION, summary="Fines imposed; scales confiscated.",
                   details=OutcomeDetails(decision_number="杭市监处罚〔2026〕3号", amount_fen=3_000_000,
                                          legal_basis="计量法 Art 27; 价格法 Art 40"),
                   command_id="demo/scale/close")

    pricing = app.open_case(
        sh, command_id="demo/pricing/open", reference="DEMO-310000-2026-001",
        title="平台大促先涨后降 Raise-then-discount pricing during a platform sale",
        summary="Prices of 120 listings were raised a week before the sale and then 'discounted'.",
        subject=Subject.create("某电商平台经营者", SubjectKind.PLATFORM_OPERATOR, "91310000MA1YYYYY3P"),
        category=CaseCategory.PRICING, legal_basis="《价格法》第十四条",
    ).aggregate_id
    app.request_evidence(sh, pricing, requested="330100", command_id="demo/pricing/er-hangzhou",
                         description="Price history of the listed merchants registered in Hangzhou, 1–30 October.")
    past.request_evidence(sh, pricing, requested="440300", command_id="demo/pricing/er-shenzhen",
                          description="Logistics records of the platform's Shenzhen warehouse for the sale period.")

    toys = app.open_case(
        sz, command_id="demo/toys/open", reference="DEMO-320500-2026-001",
        title="儿童玩具邻苯二甲酸酯超标 Phthalates above limits in children's toys",
        summary="Random sampling found DEHP above GB 6675 limits in a plastic toy series.",
        subject=Subject.create("某玩具制造有限公司", SubjectKind.MANUFACTURER, "91440300MA5ZZZZZ1Q"),
        category=CaseCategory.PRODUCT_QUALITY, legal_basis="GB 6675.1-2014",
    ).aggregate_id
    toys_request = app.request_evidence(sz, toys, requested="440300", command_id="demo/toys/er",
                                        description="Production batch records of the manufacturer in Shenzhen.").aggregate_id
    app.fulfil_evidence_request(szn, toys_request, command_id="demo/toys/er-fulfil", items=[
        EvidenceItem.create("Batch records 2026-09", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"),
        EvidenceItem.create("Raw material invoices", "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9"),
    ])

    app.open_case(
        szn, command_id="demo/app/open", reference="DEMO-440300-2026-001",
        title="App违规收集个人信息 An app collecting personal information without consent",
        summary="A shopping app reads the contact list at start-up without consent.",
        subject=Subject.create("某科技有限公司", SubjectKind.PLATFORM_OPERATOR, "91440300MA5WWWWW2R"),
        category=CaseCategory.PERSONAL_INFORMATION, legal_basis="《个人信息保护法》第十三条",
    )

    action = app.propose_joint_action(
        sh, command_id="demo/joint/propose", title="长三角直播带货联合执法行动 Yangtze Delta livestream joint action",
        objective="Coordinated inspections of livestream sellers of electronics and food across the Yangtze River Delta.",
        case_ids=[pricing], participants=["330100", "320500"],
    ).aggregate_id
    app.join_joint_action(hz, action, command_id="demo/joint/join-hz")
    # Due dates derive from the action's own start, so a second run sends the same command.
    due = app.get_joint_action(action).created_on + timedelta(days=20)
    app.assign_joint_task(sh, action, assignee="330100", title="Inspect the top 20 livestream rooms in Hangzhou",
                          due_at=due, command_id="demo/joint/task-hz")
    app.assign_joint_task(sh, action, assignee="310000", title="Compile the common position on raise-then-discount pricing",
                          command_id="demo/joint/task-sh")
