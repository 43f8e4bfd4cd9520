// A case page: its facts, evidence (with SHA-256), participants, the pending transfer,
// evidence requests, joint actions, what the user's jurisdiction may do now, and, for users
// with history:read on a server that offers it, the timeline.

import { gql } from '../api.js';
import { LiveSubscription } from '../live.js';
import { focusHeading, h } from '../dom.js';
import { formatDateTime, label, t } from '../i18n.js';
import { CASE, CASE_CHOICES, caseChanged } from '../queries.js';
import { hasScope, myCode, onInbox } from '../state.js';
import * as actions from './actions.js';
import {
  chip, empty, errorBox, facts, isOverdue, jurisdiction, loading, notices, notify, pageHead, section, sha, statusChip,
  taskProgress, when,
} from './components.js';
import { renderTimeline } from './timeline.js';

export function renderCase(main, id) {
  const body = h('div', { class: 'case-body' }, loading());
  let current = null;
  let alive = true; // false once the user has gone to another page: late answers are dropped

  async function load() {
    try {
      const data = await gql(CASE, { id });
      if (alive) show(data.case);
    } catch (error) {
      if (alive) body.replaceChildren(errorBox(error, load));
    }
  }

  function show(c) {
    if (!alive) return;
    current = c;
    const head = main.querySelector('.page-head');
    const headingHadFocus = document.activeElement === head.querySelector('h1');
    try { renderInto(c, head); } finally { if (headingHadFocus) focusHeading(main); }
  }

  function renderInto(c, head) {
    if (!c) {
      head.replaceWith(pageHead(t('m.caseNotFound')));
      body.replaceChildren(h('p', { class: 'empty', id: 'case-not-found' }, t('m.caseNotFound')));
      return;
    }
    head.replaceWith(pageHead(`${c.reference} · ${c.title}`,
      statusChip('CaseStatus', c.status),
      h('span', { class: 'chip version', id: 'case-version' }, `${t('f.version')} ${c.version}`),
      h('button', { type: 'button', class: 'ghost', id: 'refresh-case', onclick: () => { main.querySelector('.notices').replaceChildren(); load(); } }, t('a.refresh'))));
    const changed = (message) => (result) => {
      if (result && result.case) show(result.case); else load();
      notify(main, message);
    };
    const asOf = h('div', { class: 'as-of', id: 'as-of', 'aria-live': 'polite' });
    const timeline = hasScope('history:read') ? renderTimeline(c.id, asOf) : null;
    body.replaceChildren(h('div', { class: 'case-layout' },
      h('div', { class: 'case-main' },
        asOf,
        factsPanel(c),
        transferPanel(c, changed, load),
        evidencePanel(c),
        requestsPanel(c, load),
        jointActionsPanel(c)),
      h('aside', { class: 'case-side' },
        actionsPanel(c, changed, load),
        participantsPanel(c),
        timeline)));
  }

  main.append(pageHead(t('m.loading')), notices(), body);
  load();

  // Keep the page current without a reload: when the inbox moves or the tab comes back,
  // read the case again, unless the user is in the middle of a form.
  const quietReload = () => { if (current && !main.querySelector('.disclosure form, .timeline form')) load(); };
  const onVisible = () => { if (document.visibilityState === 'visible') quietReload(); };
  document.addEventListener('visibilitychange', onVisible);
  const stopInbox = onInbox((inbox, previous) => { if (previous) quietReload(); });
  // The case itself, pushed whenever it changes (say, the other side accepts its transfer).
  const live = new LiveSubscription(caseChanged(id), (data) => {
    const pushed = data.caseChanged;
    if (current && (!pushed || pushed.version !== current.version)) quietReload();
  }, () => {});
  live.start();
  return () => {
    alive = false;
    live.stop();
    document.removeEventListener('visibilitychange', onVisible);
    stopInbox();
  };
}

function factsPanel(c) {
  return section(t('s.facts'), { className: 'panel-facts' },
    h('p', { class: 'summary' }, c.summary),
    facts([
      [t('f.handling'), h('strong', { id: 'handling-jurisdiction' }, jurisdiction(c.handlingJurisdiction))],
      [t('f.subject'), `${c.subject.name} (${label('SubjectKind', c.subject.kind)})`],
      [t('f.identifier'), c.subject.identifier],
      [t('f.creditCode'), c.subject.creditCode],
      [t('f.domicile'), c.subject.domicile ? jurisdiction(c.subject.domicile) : null],
      [t('f.placeOfBusiness'), c.subject.placeOfBusiness ? jurisdiction(c.subject.placeOfBusiness) : null],
      [t('f.platformName'), c.subject.platformOperator
        ? [c.subject.platformOperator.name, c.subject.platformOperator.creditCode,
           c.subject.platformOperator.domicile && c.subject.platformOperator.domicile.name].filter(Boolean).join(' · ')
        : null],
      [t('f.store'), c.subject.store],
      [t('f.category'), label('CaseCategory', c.category)],
      [t('f.legalBasis'), c.legalBasis],
      [t('f.openedAt'), when(c.openedAt)],
      [t('f.updatedAt'), when(c.updatedAt)],
      [t('f.decisionDue'), c.decisionPeriod ? decisionDue(c.decisionPeriod) : null],
      [t('f.dispute'), c.designationPetition ? disputeFacts(c.designationPetition) : null],
      [t('f.suspensionReason'), c.suspensionReason],
      [t('f.outcome'), c.outcome ? label('CaseOutcome', c.outcome) : null],
      [t('f.outcomeDetails'), c.outcomeDetails ? outcomeFacts(c.outcomeDetails) : null],
      [t('f.closingSummary'), c.closingSummary],
    ]));
}

function decisionDue(p) {
  const paused = p.pausedOn ? ` · ${t('m.clockPaused', { since: p.pausedOn, reason: label('CaseClockPauseReason', p.pauseReason) })}` : '';
  const extended = p.extensions ? ` · ${t('m.extensions', { n: p.extensions })}` : '';
  return h('span', { id: 'decision-due', class: p.overdue ? 'overdue' : null }, `${formatDateTime(p.dueAt)}${paused}${extended}`);
}

function disputeFacts(p) {
  return h('span', { id: 'dispute' }, t('m.disputeBefore', { superior: jurisdiction(p.superior).textContent, reason: p.reason,
    settle: formatDateTime(p.settleDueAt), due: formatDateTime(p.dueAt) }));
}

function outcomeFacts(d) {
  const parts = [d.decisionNumber, d.amountFen !== null && d.amountFen !== undefined ? `¥${(d.amountFen / 100).toFixed(2)}` : null,
    d.legalBasis, d.ground, d.agency, d.mergedInto].filter((x) => x !== null && x !== undefined && x !== '');
  return parts.join(' · ');
}

function transferPanel(c, changed, reload) {
  const me = myCode();
  const pending = c.pendingTransfer;
  const opts = { version: c.version, reload };
  let pendingBox;
  if (pending) {
    const buttons = [];
    if (hasScope('cases:write') && pending.to.code === me) {
      buttons.push(actions.acceptTransfer(c.id, { ...opts, done: changed(t('m.done', { what: t('a.accept') })) }));
      if (c.status !== 'DISPUTED') {  // declined once: the dispute is before the superior now
        buttons.push(actions.declineTransfer(c.id, { ...opts, done: () => { reload(); notify(document.getElementById('main'), t('m.done', { what: t('a.decline') })); } }));
      }
    }
    if (hasScope('cases:write') && c.handlingJurisdiction.code === me) {
      buttons.push(actions.withdrawTransfer(c.id, { ...opts, done: changed(t('m.done', { what: t('a.withdraw') })) }));
    }
    pendingBox = h('div', { class: 'pending-transfer', id: 'pending-transfer' },
      h('p', { class: 'pending-line' }, t('m.transferPending', { from: jurisdiction(pending.from).textContent, to: jurisdiction(pending.to).textContent })),
      facts([[t('f.reason'), pending.reason], [t('f.requestedAt'), when(pending.requestedAt)]]),
      buttons.length ? h('div', { class: 'card-actions' }, buttons) : null);
  } else {
    pendingBox = empty(t('m.noPendingTransfer'));
  }
  const history = c.transfers.length
    ? h('ol', { class: 'transfers' }, c.transfers.map((x) => h('li', {},
      statusChip('TransferStatus', x.status), ' ',
      jurisdiction(x.from), ' → ', jurisdiction(x.to), ' · ', when(x.requestedAt),
      x.reason ? h('span', { class: 'muted' }, ` · ${x.reason}`) : null,
      x.decisionReason ? h('span', { class: 'muted' }, ` · ${x.decisionReason}`) : null)))
    : null;
  return section(t('s.transfer'), { className: 'panel-transfer' }, pendingBox, history ? h('h3', {}, t('s.transfers')) : null, history);
}

function evidencePanel(c) {
  if (!c.evidence.length) return section(t('s.evidence'), { className: 'panel-evidence' }, empty(t('m.noEvidence')));
  return section(t('s.evidence'), { className: 'panel-evidence' }, h('div', { class: 'table-wrap' }, h('table', { class: 'evidence' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('f.title')), h('th', { scope: 'col' }, t('f.sha256')),
      h('th', { scope: 'col' }, t('f.collectedBy')))),
    h('tbody', {}, c.evidence.map((e) => h('tr', {},
      h('td', { 'data-label': t('f.title') }, e.title, e.description ? h('div', { class: 'muted' }, e.description) : null),
      h('td', { 'data-label': t('f.sha256') }, sha(e.sha256)),
      h('td', { 'data-label': t('f.collectedBy') }, jurisdiction(e.collectedBy), h('div', { class: 'muted' }, when(e.collectedAt)),
        e.provenance ? h('div', { class: 'muted provenance' }, t('m.viaRequest')) : null)))))));
}

function requestsPanel(c, reload) {
  if (!c.evidenceRequests.length) return section(t('s.requests'), { className: 'panel-requests' }, empty(t('m.noRequests')));
  const me = myCode();
  return section(t('s.requests'), { className: 'panel-requests' }, h('div', { class: 'cards' }, c.evidenceRequests.map((r) => {
    const open = r.status === 'OPEN' && hasScope('evidence:write');
    const mine = open && r.requested.code === me;
    const asked = open && r.applicant.code === me;
    const opts = { version: r.version, reload, done: () => reload() };
    const overdue = isOverdue(r);
    return h('article', { class: `card request${overdue ? ' overdue' : ''}`, dataset: { requestId: r.id } },
      h('h3', {}, jurisdiction(r.applicant), ' → ', jurisdiction(r.requested), ' ', statusChip('EvidenceRequestStatus', r.status),
        overdue ? chip(t('m.overdue'), 'danger') : null),
      h('p', { class: 'description' }, r.description),
      facts([
        [t('f.dueAt'), when(r.dueAt)],
        [t('f.legalBasis'), r.legalBasis],
        [t('f.requestedAt'), when(r.requestedAt)],
        [t('f.refusalReason'), r.refusalReason ? `${label('RefusalReason', r.refusalReason)}${r.refusalDetail ? ` · ${r.refusalDetail}` : ''}` : null],
        [t('f.competentOffice'), r.competentJurisdiction ? jurisdiction(r.competentJurisdiction) : null],
        [t('f.findingsNote'), r.findingsNote],
        [t('f.question'), r.clarification?.question],
        [t('f.answer'), r.clarification?.answer],
      ]),
      r.paused ? chip(t('m.paused'), 'warning') : null,
      r.items.length ? h('ul', { class: 'items-list' }, r.items.map((i) => h('li', {}, h('span', {}, i.title), ' ', sha(i.sha256)))) : null,
      mine ? h('div', { class: 'card-actions' }, actions.fulfilRequest(r, opts), actions.refuseRequest(r, opts),
        r.acknowledged ? null : actions.acknowledgeRequest(r, opts),
        r.paused ? null : actions.extendRequest(r, opts), r.paused ? null : actions.askClarification(r, opts)) : null,
      asked ? h('div', { class: 'card-actions' }, r.paused ? actions.answerClarification(r, opts) : actions.extendRequest(r, opts),
        actions.withdrawRequest(r, opts)) : null);
  })));
}

function jointActionsPanel(c) {
  if (!c.jointActions.length) return null;
  return section(t('s.jointActions'), { className: 'panel-joint' }, h('ul', { class: 'joint-list' }, c.jointActions.map((a) => h('li', {},
    h('a', { href: '#/board' }, a.title), ' ', statusChip('JointActionStatus', a.status), ' ',
    h('span', { class: 'muted' }, `${t('f.coordinator')}: `), jurisdiction(a.coordinator),
    h('div', { class: 'chips' }, a.participants.map((p) => chip(`${jurisdiction(p.jurisdiction).textContent} · ${label('JointActionParticipantStatus', p.status)}`))),
    taskProgress(a.tasks)))));
}

function participantsPanel(c) {
  return section(t('s.participants'), { className: 'panel-participants' }, h('ul', { class: 'participants' }, c.participants.map((p) => h('li', {},
    jurisdiction(p.jurisdiction), ' ', chip(label('CaseRole', p.role))))));
}

function actionsPanel(c, changed, reload) {
  const me = myCode();
  const handling = c.handlingJurisdiction.code === me && (c.status === 'OPEN' || c.status === 'DISPUTED');
  const suspendedHere = c.handlingJurisdiction.code === me && c.status === 'SUSPENDED';
  const supervising = c.participants.some((p) => p.jurisdiction.code === me && p.role === 'SUPERVISING_ANCESTOR');
  const opts = { version: c.version, reload };
  const items = [];
  if (handling && hasScope('cases:write')) {
    if (!c.pendingTransfer) items.push(actions.requestTransfer(c, { ...opts, done: changed(t('m.done', { what: t('a.requestTransfer') })) }));
    items.push(actions.addEvidence(c, { ...opts, done: changed(t('m.done', { what: t('a.addEvidence') })) }));
  }
  if (handling && hasScope('evidence:write')) {
    items.push(actions.requestEvidence(c, { ...opts, done: () => { reload(); notify(document.getElementById('main'), t('m.done', { what: t('a.requestEvidence') })); } }));
  }
  if (handling && hasScope('joint-actions:write')) {
    items.push(proposeFromCase(c, reload));
  }
  if (handling && hasScope('cases:write')) {
    const done = (what) => ({ ...opts, done: changed(t('m.done', { what: t(what) })) });
    if (c.decisionPeriod) {
      items.push(actions.extendDecisionPeriod(c, done('a.extendDecision')));
      items.push(c.decisionPeriod.pausedOn ? actions.resumeCaseClock(c, done('a.resumeClock')) : actions.pauseCaseClock(c, done('a.pauseClock')));
    }
    if (!c.pendingTransfer) {
      items.push(actions.assignCase(c, done('a.assign')));
      items.push(actions.suspendCase(c, done('a.suspend')));
    }
    items.push(actions.closeCase(c, { ...opts, done: changed(t('m.done', { what: t('a.closeCase') })) }));
  }
  if (suspendedHere && hasScope('cases:write')) {
    items.push(actions.resumeCase(c, { ...opts, done: changed(t('m.done', { what: t('a.resume') })) }));
  }
  if (supervising && c.status !== 'CLOSED' && hasScope('cases:write')) {
    items.push(actions.designateJurisdiction(c, { ...opts, done: changed(t('m.done', { what: t('a.designate') })) }));
    items.push(actions.takeOverCase(c, { ...opts, done: changed(t('m.done', { what: t('a.takeOver') })) }));
  }
  const note = c.handlingJurisdiction.code !== me ? h('p', { class: 'muted' }, t('m.otherHandler', { handler: jurisdiction(c.handlingJurisdiction).textContent })) : null;
  return section(t('s.actions'), { className: 'panel-actions' }, note, items.length ? h('div', { class: 'action-list', id: 'case-actions' }, items) : h('p', { class: 'empty' }, t('m.noActions')));
}

/** Propose a joint action from a case: this case ticked, the user's other open cases offered. */
function proposeFromCase(c, reload) {
  const holder = h('div', { class: 'propose-holder' });
  const build = (choices) => actions.proposeJointAction(choices, [c.id], {
    reload, done: () => { reload(); notify(document.getElementById('main'), t('m.done', { what: t('a.proposeJoint') }), h('a', { href: '#/board' }, t('nav.board'))); },
  });
  holder.append(build([c]));
  gql(CASE_CHOICES).then((data) => {
    const others = data.cases.edges.map((e) => e.node).filter((x) => x.id !== c.id);
    if (others.length && !holder.querySelector('form')) holder.replaceChildren(build([c, ...others]));
  }).catch(() => {});
  return holder;
}

