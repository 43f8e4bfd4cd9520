"""The console end to end, in a real headless browser (Debian's Chromium, driven by
Playwright) against the real app on an ephemeral port: regulators of Hangzhou, Shanghai,
Suzhou and Shenzhen sign in with the authorization code flow and hand cases to each other.

Screenshots of the main pages go to test-artifacts/console/. Every wait is Playwright's
auto-waiting `expect` with a bounded timeout; nothing is timed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime, timedelta
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

if not os.environ.get("CI"):  # in CI they run, never skip: .ci/run installs both
    pytest.importorskip("playwright.sync_api", reason="the console's browser tests need the `test` extra (playwright)")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (.ci/apt-packages.txt)", allow_module_level=True)

from playwright.sync_api import Browser, expect  # noqa: E402

from console_helpers import (  # noqa: E402
    HANGZHOU,
    SHANGHAI,
    SHENZHEN,
    SUZHOU,
    TABLET,
    ZHEJIANG,
    TIMEOUT_MS,
    Agency,
    LiveServer,
    People,
    Regulator,
    create_user,
    headless_chromium,
    live_server,
)

pytestmark = pytest.mark.slow
expect.set_options(timeout=TIMEOUT_MS)  # every expectation waits at most this long

USERS = {"hz.li": HANGZHOU, "sh.wang": SHANGHAI, "sz.chen": SUZHOU, "szn.huang": SHENZHEN, "zj.zhou": ZHEJIANG}
READERS = {"hz.reader": HANGZHOU}  # cases:read only


# -- the scene ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('console') / 'casebridge.db'}"
    with live_server(database_url) as running:
        for username, jurisdiction in USERS.items():
            create_user(database_url, username, jurisdiction)
        for username, jurisdiction in READERS.items():
            create_user(database_url, username, jurisdiction, scope="cases:read")
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as launched:
        yield launched


@pytest.fixture
def agency(server) -> Iterator[Callable[[str], Agency]]:
    made: list[Agency] = []

    def make(jurisdiction: str) -> Agency:
        made.append(Agency(server, jurisdiction))
        return made[-1]

    yield make
    for a in made:
        a.close()


@pytest.fixture
def regulator(server, browser) -> Iterator[Callable[..., Regulator]]:
    with People(browser, server) as people:
        yield people.make


def open_case_in_browser(hz: Regulator, title: str) -> str:
    """Opens a case from the console's form; returns its reference (the page shows it)."""
    page = hz.page
    hz.go("#/cases")
    page.locator("#new-case").click()
    form = hz.form("openCase")
    form.get_by_label("标题").fill(title)
    form.get_by_label("案情摘要").fill("多地消费者投诉其网店销售假冒品牌耳机，涉及杭州、上海两地仓库。")
    form.get_by_label("当事人名称").fill("杭州某电子商务有限公司")
    form.get_by_label("当事人类型").select_option("MARKETPLACE_SELLER")
    form.get_by_label("统一社会信用代码或店铺链接").fill("91330100MA2XXXXX0X")
    form.get_by_label("案件类别").select_option("COUNTERFEIT")
    form.get_by_label("法律依据").fill("《中华人民共和国商标法》第五十七条")
    form.get_by_role("button", name="立案").click()
    heading = page.locator("h1")
    expect(heading).to_contain_text(title)
    return heading.inner_text().split(" · ")[0]


# -- the story ---------------------------------------------------------------------------------

def test_signing_in_keeps_the_access_token_out_of_browser_storage_and_the_address(regulator):
    hz = regulator("hz.li").sign_in()
    page = hz.page

    expect(page.locator("#who")).to_contain_text("hz.li")
    expect(page.locator("#who")).to_contain_text("杭州")
    stored = page.evaluate("() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])")
    assert hz.token and hz.token not in stored
    assert "eyJ" not in stored  # no JWT of any kind
    assert "code=" not in page.url and hz.token not in page.url
    assert not any(hz.token in cookie["value"] for cookie in page.context.cookies())


def test_a_transfer_from_hangzhou_arrives_live_in_shanghais_inbox_and_accepting_it_moves_the_case(regulator, agency):
    # Other work already waits for Shanghai: an evidence request from Suzhou, an invitation from Hangzhou.
    suzhou, hangzhou = agency(SUZHOU), agency(HANGZHOU)
    suzhou_case = suzhou.open_case("苏州某工厂生产不合格电热水壶案", category="PRODUCT_QUALITY", subject="苏州某电器制造有限公司")
    suzhou.mutate("requestEvidence", {"caseId": suzhou_case["id"], "requested": SHANGHAI,
                                      "description": "请协助核查当事人在上海的销售渠道及销售数量。", "legalBasis": "《市场监督管理行政处罚程序规定》第十五条"})
    hangzhou_case = hangzhou.open_case("直播带货虚假宣传案", category="FALSE_ADVERTISING")
    hangzhou.mutate("proposeJointAction", {"title": "长三角直播电商联合整治", "objective": "统一查处标准，同步开展检查。",
                                           "caseIds": [hangzhou_case["id"]], "participants": [SHANGHAI, SUZHOU]}, "jointAction { id }")

    sh = regulator("sh.wang").sign_in()
    expect(sh.page.locator("#inbox-requests article", has_text=suzhou_case["reference"])).to_be_visible()
    hz = regulator("hz.li").sign_in()
    expect(sh.page.locator("#inbox-transfers")).to_be_visible()
    loaded_before = sh.navigations

    reference = open_case_in_browser(hz, "网店销售假冒品牌耳机案")
    hz.page.locator("#case-actions").get_by_role("button", name="申请移送").click()
    form = hz.form("requestTransfer")
    form.get_by_label("接收单位").select_option(SHANGHAI)
    form.get_by_label("理由").fill("当事人住所地及主要仓库位于上海市，依法由上海市管辖。")
    form.get_by_role("button", name="申请移送").click()
    expect(hz.page.locator("#pending-transfer")).to_contain_text("上海")

    # Shanghai's inbox shows it without anyone reloading the page.
    card = sh.page.locator("#inbox-transfers article", has_text=reference)
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    expect(card).to_contain_text("杭州")
    expect(sh.page.locator("#inbox-badge")).to_have_text("3")
    assert sh.navigations == loaded_before
    sh.screenshot("inbox")

    card.get_by_role("button", name="接收").click()
    expect(card).to_have_count(0)
    expect(sh.page.locator(".notice")).to_contain_text(reference)

    # Hangzhou's case page changes by itself, without a reload or a click: Shanghai handles it now.
    hz_navigations = hz.navigations
    expect(hz.page.locator("#handling-jurisdiction")).to_contain_text("上海", timeout=TIMEOUT_MS)
    assert hz.navigations == hz_navigations
    expect(hz.page.locator("#pending-transfer")).to_have_count(0)
    hz.screenshot("case")
    hz.go("#/cases")
    filters = hz.page.get_by_role("search")
    filters.get_by_label("搜索").fill(reference)
    filters.get_by_label("办理单位").select_option(SHANGHAI)
    filters.get_by_label("状态").select_option("OPEN")
    filters.get_by_role("button", name="筛选").click()
    row = hz.page.locator("#case-rows tr", has_text=reference)
    expect(row.locator(".handling")).to_contain_text("上海")
    expect(hz.page.locator("#case-rows tr")).to_have_count(1)
    hz.screenshot("cases")


def test_suzhou_answers_an_evidence_request_with_the_hash_its_browser_computed(regulator, agency, tmp_path):
    case = agency(SHANGHAI).open_case("直播间虚假宣传保健食品案", category="FALSE_ADVERTISING")
    sz = regulator("sz.chen").sign_in()
    sh = regulator("sh.wang").sign_in(f"#/cases/{case['id']}")
    expect(sh.page.locator("h1")).to_contain_text(case["reference"])

    sh.page.locator("#case-actions").get_by_role("button", name="发起协助调查").click()
    form = sh.form("requestEvidence")
    form.get_by_label("被请求单位").select_option(SUZHOU)
    form.get_by_label("需协助事项").fill("请调取当事人苏州仓库 2025 年 3 月的出入库记录。")
    form.get_by_role("button", name="发起协助调查").click()
    expect(sh.page.locator("article.request")).to_contain_text("苏州")

    card = sz.page.locator("#inbox-requests article", has_text=case["reference"])
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    expect(card.locator(".due")).to_contain_text("20")  # a due date is shown
    marker = "WAREHOUSE-LEDGER-e2e-7f3a"
    evidence = tmp_path / "出入库记录.csv"
    evidence.write_bytes(f"date,sku,qty\n2025-03-02,EAR-01,1200\n{marker}\n".encode())
    expected = hashlib.sha256(evidence.read_bytes()).hexdigest()
    uploads: list[bytes] = []
    sz.page.on("request", lambda r: uploads.append(r.post_data_buffer or b"") if r.method == "POST" else None)

    card.get_by_role("button", name="提供证据").click()
    form = sz.form("fulfilEvidenceRequest")
    form.locator("input[type=file]").set_input_files(str(evidence))
    expect(form.get_by_label("SHA-256")).to_have_value(expected)
    expect(form.locator(".hash-status .sha256")).to_have_text(expected)  # shown in full, computed here
    expect(form.get_by_label("材料名称")).to_have_value("出入库记录.csv")
    sz.screenshot("fulfil")
    form.get_by_role("button", name="提供证据").click()
    expect(card).to_have_count(0)
    assert uploads and not any(marker.encode() in body for body in uploads), "the file's content left the browser"

    sh.page.locator("#refresh-case").click()
    answered = sh.page.locator("article.request", has_text="苏州")
    expect(answered).to_contain_text("已提供")
    expect(answered.locator(".sha256")).to_have_text(expected)


def test_a_regulator_of_a_third_jurisdiction_sees_none_of_it(regulator, agency):
    hangzhou, shanghai = agency(HANGZHOU), agency(SHANGHAI)
    transferred = hangzhou.open_case("仅限杭沪可见的移送案")
    hangzhou.mutate("requestTransfer", {"caseId": transferred["id"], "to": SHANGHAI, "reason": "住所地在上海"})
    asked = shanghai.open_case("仅限沪苏可见的协查案")
    shanghai.mutate("requestEvidence", {"caseId": asked["id"], "requested": SUZHOU, "description": "调取出入库记录"})
    shanghai.mutate("proposeJointAction", {"title": "沪苏联合检查仓库", "caseIds": [asked["id"]], "participants": [SUZHOU]},
                    "jointAction { id }")

    szn = regulator("szn.huang").sign_in()
    page = szn.page
    expect(page.locator("#inbox-transfers .empty")).to_be_visible()
    expect(page.locator("#inbox-requests .empty")).to_be_visible()
    expect(page.locator("#inbox-invitations .empty")).to_be_visible()
    expect(page.locator("#inbox-badge")).to_be_hidden()

    szn.go("#/cases")
    expect(page.locator(".result-count")).to_have_text("没有符合条件的案件。")
    expect(page.locator("#case-rows tr")).to_have_count(0)
    for case in (transferred, asked):
        szn.go(f"#/cases/{case['id']}")
        expect(page.locator("#case-not-found")).to_be_visible()
        expect(page.locator("body")).not_to_contain_text(case["title"])
    szn.go("#/board")
    expect(page.locator("#board .empty")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("沪苏联合检查仓库")


def test_the_board_shows_joint_actions_with_participants_and_task_progress(regulator, agency):
    case = agency(HANGZHOU).open_case("多地联动查处假冒耳机案")
    hz = regulator("hz.li").sign_in(f"#/cases/{case['id']}")
    sh = regulator("sh.wang").sign_in()

    hz.page.locator("#case-actions").get_by_role("button", name="发起联动执法").click()
    form = hz.form("proposeJointAction")
    form.get_by_label("标题").fill("杭沪联合查处假冒耳机")
    form.get_by_label("行动目标").fill("同步查封两地仓库，统一处罚尺度。")
    form.get_by_role("checkbox", name=f"上海市市场监督管理局 ({SHANGHAI})").check()
    form.get_by_role("button", name="发起联动执法").click()
    expect(hz.page.locator(".notice")).to_be_visible()

    invitation = sh.page.locator("#inbox-invitations article", has_text="杭沪联合查处假冒耳机")
    expect(invitation).to_be_visible(timeout=TIMEOUT_MS)
    invitation.get_by_role("button", name="参加").click()
    expect(invitation).to_have_count(0)

    hz.go("#/board")
    action = hz.page.locator("#board article", has_text="杭沪联合查处假冒耳机")
    expect(action.locator(".participant-chips")).to_contain_text("上海市市场监督管理局 · 已参加")
    action.get_by_role("button", name="分配任务").click()
    form = hz.form("assignJointTask")
    form.get_by_label("承办单位").select_option(SHANGHAI)
    form.get_by_label("任务内容").fill("查封上海仓库并清点库存")
    form.get_by_role("button", name="分配任务").click()
    expect(action.locator(".progress-text")).to_have_text("已完成 0/1 项任务")

    sh.go("#/board")
    task = sh.page.locator("#board article", has_text="杭沪联合查处假冒耳机").locator("li.task", has_text="查封上海仓库")
    task.get_by_role("button", name="完成任务").click()
    form = sh.form("completeJointTask")
    form.get_by_label("完成情况").fill("已查封仓库，清点耳机 1200 副。")
    form.get_by_role("button", name="完成任务").click()
    expect(sh.page.locator("#board article", has_text="杭沪联合查处假冒耳机").locator(".progress-text")).to_have_text("已完成 1/1 项任务")

    hz.go("#/inbox")
    hz.go("#/board")
    expect(action.locator(".progress-text")).to_have_text("已完成 1/1 项任务")
    expect(action.locator("progress")).to_have_attribute("value", "1")
    hz.screenshot("board")

    action.get_by_role("button", name="结束联动").click()
    form = hz.form("closeJointAction")
    form.get_by_label("共同意见").fill("两地统一按假冒注册商标商品处罚。")
    form.get_by_role("button", name="结束联动").click()
    expect(action.locator(".card-head")).to_contain_text("已结束")
    expect(action).to_contain_text("两地统一按假冒注册商标商品处罚。")


def test_a_validation_problem_is_shown_next_to_the_field_it_names(regulator, agency):
    taken = agency(HANGZHOU).open_case("编号已被占用的案件", reference="HZ-E2E-0001")
    hz = regulator("hz.li").sign_in("#/cases/new")
    form = hz.form("openCase")

    form.get_by_role("button", name="立案").click()  # nothing filled in: checked before sending
    expect(form.locator("[data-field=title] .field-error")).to_have_text("此项必填。")
    expect(form.locator("[data-field='subject.name'] .field-error")).to_have_text("此项必填。")
    expect(form.get_by_label("标题")).to_be_focused()

    form.get_by_label("标题").fill("另一宗案件")
    form.get_by_label("案情摘要").fill("案情")
    form.get_by_label("当事人名称").fill("某公司")
    form.get_by_label("当事人类型").select_option("MANUFACTURER")
    form.get_by_label("案件类别").select_option("PRODUCT_QUALITY")
    form.get_by_label("案件编号（留空自动生成）").fill(taken["reference"])
    form.get_by_role("button", name="立案").click()
    error = form.locator("[data-field=reference] .field-error")
    expect(error).to_contain_text("not available")  # never whose it is (issue 10 item 6)
    expect(form.get_by_label("案件编号（留空自动生成）")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[data-field=title] .field-error")).to_be_hidden()
    hz.screenshot("new-case-validation")


def test_a_conflicting_change_is_shown_plainly_with_a_reload_button(regulator, agency):
    hangzhou = agency(HANGZHOU)
    case = hangzhou.open_case("并发修改的案件")
    hz = regulator("hz.li").sign_in(f"#/cases/{case['id']}")
    expect(hz.page.locator("#case-version")).to_contain_text(str(case["version"]))
    hz.page.locator("#case-actions").get_by_role("button", name="申请移送").click()

    # Meanwhile another program of Hangzhou records evidence on the case.
    changed = hangzhou.mutate("addEvidence", {"caseId": case["id"], "title": "现场检查笔录", "sha256": "ab" * 32},
                              "case { version }")["case"]

    form = hz.form("requestTransfer")
    form.get_by_label("接收单位").select_option(SHANGHAI)
    form.get_by_label("理由").fill("住所地在上海")
    form.get_by_role("button", name="申请移送").click()
    problem = form.locator(".form-problem")
    expect(problem).to_contain_text("其他人已修改了此内容")
    problem.get_by_role("button", name="重新加载").click()
    expect(hz.page.locator("#case-version")).to_contain_text(str(changed["version"]))
    expect(hz.page.locator("table.evidence")).to_contain_text("现场检查笔录")
    expect(hz.page.locator("#pending-transfer")).to_have_count(0)


def test_reloading_signs_in_again_silently_and_signing_out_ends_the_session(regulator):
    hz = regulator("hz.li").sign_in("#/cases")
    page = hz.page
    expect(page.locator("h1")).to_have_text("案件列表")

    with page.expect_response(lambda r: r.url.endswith("/oauth/token"), timeout=TIMEOUT_MS) as renewed:
        page.reload()
    assert renewed.value.ok
    expect(page.locator("h1")).to_have_text("案件列表")
    expect(page.locator("#live-status")).to_have_attribute("data-status", "live")
    assert page.locator("#password").count() == 0

    token = renewed.value.json()["access_token"]
    page.locator("#sign-out").click()
    expect(page.locator(".signin-message")).to_have_text("您已退出登录。")
    refused = httpx.post(f"{hz.server.base_url}/graphql", json={"query": "{ me { clientId } }"},
                         headers={"Authorization": f"Bearer {token}"}, timeout=20)
    assert refused.status_code == 401  # the token the console held is revoked along with the session
    page.reload()
    expect(page.locator("#password")).to_be_visible()  # the session is over: the password again


def test_the_language_follows_the_browser_and_the_toggle_switches_it(regulator):
    person = regulator("sh.wang", locale="en-US").sign_in()
    page = person.page
    expect(page.locator("h1")).to_have_text("Inbox")
    expect(page.locator("nav")).to_contain_text("Joint-action board")
    person.screenshot("inbox-en")
    page.locator("#lang-toggle").click()
    expect(page.locator("h1")).to_have_text("待办事项")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.locator("#lang-toggle").click()
    expect(page.locator("h1")).to_have_text("Inbox")


def test_the_pages_fit_a_tablet_screen(regulator, agency):
    case = agency(HANGZHOU).open_case("平板上查看的案件")
    hz = regulator("hz.li", viewport=TABLET).sign_in()
    for route, name in (("#/inbox", "tablet-inbox"), ("#/cases", "tablet-cases"), (f"#/cases/{case['id']}", "tablet-case"),
                        ("#/board", "tablet-board")):
        hz.go(route)
        expect(hz.page.locator(".loading")).to_have_count(0)
        expect(hz.page.locator("h1")).not_to_have_text("加载中…")
        overflow = hz.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{route} scrolls sideways by {overflow}px on a tablet"
        hz.screenshot(name)


def test_history_readers_see_the_case_timeline_its_integrity_and_the_case_as_of_a_version(regulator, agency):
    hangzhou = agency(HANGZHOU)
    case = hangzhou.open_case("有历史记录的案件")
    hangzhou.mutate("addEvidence", {"caseId": case["id"], "title": "询问笔录", "sha256": "cd" * 32})
    hz = regulator("hz.li").sign_in(f"#/cases/{case['id']}")
    page = hz.page
    expect(page.locator("table.evidence")).to_contain_text("询问笔录")

    events = page.locator("#events li")
    expect(events).to_have_count(2)
    expect(events.nth(0)).to_contain_text("立案")
    expect(events.nth(1)).to_contain_text("登记证据")
    expect(page.locator("#integrity .integrity-result")).to_have_attribute("data-valid", "true")
    expect(page.locator("#integrity")).to_contain_text("完整性校验通过：2 个事件")

    events.nth(0).get_by_role("button", name="查看此版本").click()
    as_of = page.locator("#as-of")
    expect(as_of).to_contain_text("正在查看版本 1 时的案件")
    expect(as_of).to_contain_text("杭州市")
    expect(as_of).to_contain_text("0 项证据")  # the evidence came with version 2
    hz.screenshot("case-history")
    as_of.get_by_role("button", name="返回当前状态").click()
    expect(as_of).to_be_empty()


def test_hangzhou_records_evidence_by_its_hash_withdraws_a_transfer_and_closes_a_case(regulator, agency, tmp_path):
    hangzhou = agency(HANGZHOU)
    case = hangzhou.open_case("需要登记证据的案件")
    hangzhou.mutate("requestTransfer", {"caseId": case["id"], "to": SHANGHAI, "reason": "拟移送上海"})
    hz = regulator("hz.li").sign_in(f"#/cases/{case['id']}")
    page = hz.page

    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(bytes(range(256)) * 64)
    page.locator("#case-actions").get_by_role("button", name="登记证据").click()
    form = hz.form("addEvidence")
    form.get_by_label("标题").fill("仓库现场照片")
    form.locator("input[type=file]").set_input_files(str(photo))
    expect(form.get_by_label("SHA-256")).to_have_value(hashlib.sha256(photo.read_bytes()).hexdigest())
    form.get_by_role("button", name="登记证据").click()
    expect(page.locator("table.evidence")).to_contain_text(hashlib.sha256(photo.read_bytes()).hexdigest())

    page.locator("#pending-transfer").get_by_role("button", name="撤回移送").click()
    expect(page.locator("#pending-transfer")).to_have_count(0)
    expect(page.locator("ol.transfers")).to_contain_text("已撤回")

    page.locator("#case-actions").get_by_role("button", name="结案").click()
    form = hz.form("closeCase")
    form.get_by_label("结案结果").select_option("PENALTY_DECISION")
    form.get_by_label("处罚决定书文号").fill("杭市监处罚〔2025〕12号")
    form.get_by_label("罚没金额（元）").fill("50000")
    form.get_by_label("处罚依据").fill("《产品质量法》第五十条")
    form.get_by_label("结案说明").fill("没收假冒耳机，罚款五万元。")
    form.get_by_role("button", name="结案").click()
    expect(page.locator(".page-head")).to_contain_text("已结案")
    expect(page.locator(".panel-facts")).to_contain_text("作出行政处罚决定")


def test_declining_a_transfer_refusing_an_evidence_request_and_declining_an_invitation_each_take_a_reason(regulator, agency):
    hangzhou, shanghai = agency(HANGZHOU), agency(SHANGHAI)
    transferred = hangzhou.open_case("上海拒收的移送案")
    hangzhou.mutate("requestTransfer", {"caseId": transferred["id"], "to": SHANGHAI, "reason": "拟移送上海"})
    asked = shanghai.open_case("请杭州协查的案件")
    shanghai.mutate("requestEvidence", {"caseId": asked["id"], "requested": HANGZHOU, "description": "请调取杭州仓库监控"})
    shanghai.mutate("proposeJointAction", {"title": "沪杭联合约谈平台", "caseIds": [asked["id"]], "participants": [HANGZHOU]},
                    "jointAction { id }")
    sh = regulator("sh.wang").sign_in()
    hz = regulator("hz.li").sign_in()

    card = sh.page.locator("#inbox-transfers article", has_text=transferred["reference"])
    card.get_by_role("button", name="拒绝").click()
    form = sh.form("declineTransfer")
    form.get_by_role("button", name="确认拒绝").click()
    expect(form.locator("[data-field=reason] .field-error")).to_have_text("此项必填。")  # the reason is asked for first
    form.get_by_label("理由").fill("当事人实际经营地不在上海。")
    form.get_by_role("button", name="确认拒绝").click()
    expect(card).to_have_count(0)

    request = hz.page.locator("#inbox-requests article", has_text=asked["reference"])
    request.get_by_role("button", name="拒绝协助").click()
    form = hz.form("refuseEvidenceRequest")
    form.get_by_label("拒绝理由").select_option("OUTSIDE_COMPETENCE")
    form.get_by_label("详细说明").fill("该仓库位于宁波市。")
    form.get_by_role("button", name="拒绝协助").click()
    expect(request).to_have_count(0)

    invitation = hz.page.locator("#inbox-invitations article", has_text="沪杭联合约谈平台")
    invitation.get_by_role("button", name="拒绝").click()
    form = hz.form("declineJointAction")
    form.get_by_label("理由").fill("本单位暂无相关案件。")
    form.get_by_role("button", name="确认拒绝").click()
    expect(invitation).to_have_count(0)

    hz.go(f"#/cases/{transferred['id']}")  # a decline is a dispute before the common superior (程序规定 Art 14)
    expect(hz.page.locator("ol.transfers")).to_contain_text("有争议，待指定管辖")
    expect(hz.page.locator(".page-head")).to_contain_text("管辖争议")
    expect(hz.page.locator("#dispute")).to_contain_text("国家市场监督管理总局")
    expect(hz.page.locator("ol.transfers")).to_contain_text("当事人实际经营地不在上海。")
    sh.go(f"#/cases/{asked['id']}")
    expect(sh.page.locator("article.request")).to_contain_text("超出职权范围")


def test_a_common_superior_designates_who_handles_a_case(regulator, agency):
    case = agency(HANGZHOU).open_case("由省局指定管辖的案件")
    zj = regulator("zj.zhou").sign_in(f"#/cases/{case['id']}")
    page = zj.page
    expect(page.locator(".panel-participants")).to_contain_text("浙江省")
    page.locator("#case-actions").get_by_role("button", name="指定管辖").click()
    form = zj.form("designateJurisdiction")
    form.get_by_label("指定办理单位").select_option("330200")
    form.get_by_label("理由").fill("当事人主要违法行为发生在宁波。")
    form.get_by_role("button", name="指定管辖").click()
    expect(page.locator("#handling-jurisdiction")).to_contain_text("宁波")


def test_an_evidence_request_past_its_due_time_is_highlighted_as_overdue(regulator, agency):
    shanghai = agency(SHANGHAI)
    case = shanghai.open_case("答复期限很短的协查案")
    due = (datetime.now(UTC) + timedelta(seconds=3)).isoformat()
    shanghai.mutate("requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "请当日答复", "dueAt": due})
    sz = regulator("sz.chen").sign_in()
    card = sz.page.locator("#inbox-requests article", has_text=case["reference"])
    expect(card).to_be_visible()
    expect(card).to_have_class(re.compile(r"\boverdue\b"), timeout=TIMEOUT_MS * 2)  # the page notices the time passing
    expect(card.locator(".chip.danger")).to_have_text("已逾期")
    sz.screenshot("inbox-overdue")


def test_the_case_list_pages_on_with_load_more(regulator, agency):
    suzhou = agency(SUZHOU)
    for n in range(28):
        suzhou.open_case(f"苏州批量案件 {n:02d}", subject="苏州某电器制造有限公司")
    sz = regulator("sz.chen").sign_in("#/cases")
    rows = sz.page.locator("#case-rows tr")
    expect(rows).to_have_count(25)
    sz.page.locator("#load-more").click()
    expect(rows.filter(has_text="苏州批量案件 00")).to_have_count(1)  # the oldest arrives with the second page
    expect(sz.page.locator("#load-more")).to_be_hidden()
    assert rows.count() >= 28


def test_a_double_click_or_a_retry_after_a_lost_answer_opens_the_case_once(regulator):
    hz = regulator("hz.li").sign_in("#/cases/new")
    page = hz.page
    form = hz.form("openCase")
    form.get_by_label("标题").fill("只应立案一次的案件")
    form.get_by_label("案情摘要").fill("网络不稳定时提交。")
    form.get_by_label("当事人名称").fill("某网店")
    form.get_by_label("当事人类型").select_option("MARKETPLACE_SELLER")
    form.get_by_label("案件类别").select_option("PRICING")

    lost: list[str] = []

    def lose_the_first_answer(route) -> None:
        if not lost and "openCase" in (route.request.post_data or ""):
            lost.append(route.request.post_data)
            route.fetch()  # the server receives the command and applies it...
            route.abort()  # ...but its answer never reaches the page
        else:
            route.continue_()

    page.route("**/graphql", lose_the_first_answer)
    form.get_by_role("button", name="立案").dblclick()
    expect(form.locator(".form-problem")).to_contain_text("请求未能送达服务器")
    form.get_by_role("button", name="立案").click()  # the regulator tries again
    expect(page.locator("h1")).to_contain_text("只应立案一次的案件")
    page.unroute("**/graphql")

    hz.go("#/cases?q=只应立案一次的案件")
    expect(page.locator(".result-count")).to_have_text("共显示 1 件")
    expect(page.locator("#case-rows tr")).to_have_count(1)


def test_a_reader_sees_the_case_but_no_commands_and_no_timeline(regulator, agency):
    case = agency(HANGZHOU).open_case("只读用户查看的案件")
    reader = regulator("hz.reader").sign_in(f"#/cases/{case['id']}")
    page = reader.page
    expect(page.locator("h1")).to_contain_text(case["reference"])
    expect(page.locator(".panel-actions .empty")).to_have_text("您的单位当前无可执行的操作。")
    expect(page.locator("#case-actions")).to_have_count(0)
    expect(page.locator("#timeline")).to_have_count(0)
    reader.go("#/cases")
    expect(page.locator("#case-rows tr", has_text=case["reference"])).to_be_visible()
    expect(page.locator("#new-case")).to_have_count(0)


def test_the_timeline_stays_hidden_on_a_server_without_legal_replay(regulator, agency):
    """An older server has no caseHistory: the console asks, learns that, and leaves the panel out."""
    case = agency(HANGZHOU).open_case("旧版服务器上的案件")
    missing = json.dumps({"errors": [{"message": "Cannot query field 'caseHistory' on type 'Query'.",
                                      "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]})

    def without_legal_replay(route) -> None:
        if "caseHistory" in (route.request.post_data or "") or "verifyCase" in (route.request.post_data or ""):
            route.fulfill(status=400, content_type="application/json", body=missing)
        else:
            route.continue_()

    hz = regulator("hz.li")
    hz.page.route("**/graphql", without_legal_replay)
    hz.sign_in(f"#/cases/{case['id']}")
    page = hz.page
    expect(page.locator("h1")).to_contain_text(case["reference"])
    expect(page.locator("#timeline")).to_have_count(0)
    expect(page.locator("#case-actions")).to_be_visible()  # the rest of the page works as ever


def test_suzhou_asks_for_clarification_shanghai_answers_and_then_withdraws_its_request(regulator, agency):
    """行政处罚法 Art 26: too little information is asked about (the clock pauses), not refused."""
    shanghai = agency(SHANGHAI)
    case = shanghai.open_case("需补充说明的协查案")
    shanghai.mutate("requestEvidence", {"caseId": case["id"], "requested": SUZHOU, "description": "请调取当事人仓库记录"})
    sz = regulator("sz.chen").sign_in()

    card = sz.page.locator("#inbox-requests article", has_text=case["reference"])
    card.get_by_role("button", name="确认收到").click()
    expect(card.get_by_role("button", name="确认收到")).to_have_count(0, timeout=TIMEOUT_MS)
    card.get_by_role("button", name="请求补充说明").click()
    form = sz.form("askClarification")
    form.get_by_label("需补充说明的问题").fill("请说明是哪一个仓库？")
    form.get_by_role("button", name="请求补充说明").click()
    expect(card).to_contain_text("期限暂停", timeout=TIMEOUT_MS)

    sh = regulator("sh.wang").sign_in(f"#/cases/{case['id']}")
    request = sh.page.locator("article.request")
    expect(request).to_contain_text("请说明是哪一个仓库？")
    request.get_by_role("button", name="答复补充说明").click()
    form = sh.form("answerClarification")
    form.get_by_label("补充说明").fill("吴中区仓库")
    form.get_by_role("button", name="答复补充说明").click()
    expect(request).to_contain_text("吴中区仓库", timeout=TIMEOUT_MS)
    expect(request).not_to_contain_text("期限暂停")

    request.get_by_role("button", name="撤回协助请求").click()
    form = sh.form("withdrawEvidenceRequest")
    form.get_by_role("button", name="撤回协助请求").click()
    expect(request).to_contain_text("已撤回", timeout=TIMEOUT_MS)


def test_the_subjects_credit_code_is_checked_and_an_earlier_filing_elsewhere_is_told(regulator, agency):
    """行政处罚法 Art 25: Shanghai filed first on the code; Hangzhou's console says so when it opens its case."""
    code = "91330100MA2H000X0J"
    agency(SHANGHAI).mutate("openCase", {"title": "上海在办案件", "summary": "案情", "category": "COUNTERFEIT",
                                         "subject": {"name": "杭州某电子商务有限公司", "kind": "MARKETPLACE_SELLER", "creditCode": code}},
                            "case { id }")
    hz = regulator("hz.li").sign_in("#/cases/new")
    form = hz.form("openCase")
    form.get_by_label("标题").fill("统一社会信用代码校验")
    form.get_by_label("案情摘要").fill("案情")
    form.get_by_label("当事人名称").fill("杭州某电子商务有限公司")
    form.get_by_label("当事人类型").select_option("MARKETPLACE_SELLER")
    form.get_by_label("案件类别").select_option("COUNTERFEIT")
    form.get_by_label("统一社会信用代码（校验）").fill(code[:17] + "Q")
    form.get_by_role("button", name="立案").click()
    expect(form.locator("[data-field='subject.creditCode'] .field-error")).to_contain_text("check character")

    form.get_by_label("统一社会信用代码（校验）").fill(code)
    form.get_by_label("实际经营地").fill("330106")
    form.get_by_role("button", name="立案").click()
    expect(hz.page.locator("#announcer")).to_contain_text("上海市市场监督管理局")
    expect(hz.page.locator(".panel-facts")).to_contain_text(code)
