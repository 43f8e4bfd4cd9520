// Every command the console offers, as a form or a one-click button, shared by the pages.
// `done(result)` runs after a success, `reload()` after a conflict's "reload".

import { actionForm, disclosure } from '../forms.js';
import { enumOptions, t } from '../i18n.js';
import { CASE_FIELDS, JOINT_ACTION_FIELDS } from '../queries.js';
import { jurisdictionOptions, myCode, nameOf } from '../state.js';

const CASE_SELECTION = `case { ${CASE_FIELDS} }`;
const REQUEST_SELECTION = 'evidenceRequest { id status version paused items { title sha256 } case { id reference title } }';
const ACTION_SELECTION = `jointAction { ${JOINT_ACTION_FIELDS} }`;

/** A one-click command: a form with only a submit button (so it too gets an idempotency key). */
function oneClick(mutation, submitLabel, input, { version, done, reload, selection, danger }) {
  return actionForm({
    mutation, selection, submitLabel, fields: [], danger, className: 'one-click',
    input: () => input, expectedVersion: () => version, onSuccess: done, onReload: reload,
  });
}

/** The end of a date (as chosen in a date input) in China Standard Time, as the API wants it. */
function endOfDay(date) {
  return date ? `${date}T23:59:59+08:00` : null;
}

// -- cases -------------------------------------------------------------------------------

export function acceptTransfer(caseId, opts) {
  return oneClick('acceptTransfer', t('a.accept'), { caseId }, { ...opts, selection: CASE_SELECTION });
}

export function declineTransfer(caseId, opts) {
  return disclosure(t('a.decline'), (close) => actionForm({
    mutation: 'declineTransfer', selection: 'caseId', submitLabel: t('a.confirmDecline'), danger: true,
    fields: [{ name: 'reason', label: t('f.reason'), type: 'textarea', required: true }],
    input: (v) => ({ caseId, reason: v.reason }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function withdrawTransfer(caseId, opts) {
  return oneClick('withdrawTransfer', t('a.withdraw'), { caseId }, { ...opts, selection: CASE_SELECTION, danger: true });
}

export function requestTransfer(c, opts) {
  return disclosure(t('a.requestTransfer'), (close) => actionForm({
    mutation: 'requestTransfer', selection: CASE_SELECTION, submitLabel: t('a.requestTransfer'), heading: t('a.requestTransfer'),
    fields: [
      { name: 'to', label: t('f.to'), type: 'select', required: true, placeholder: '', options: jurisdictionOptions([c.handlingJurisdiction.code]) },
      { name: 'reason', label: t('f.reason'), type: 'textarea', required: true },
    ],
    input: (v) => ({ caseId: c.id, to: v.to, reason: v.reason }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }), { className: 'primary' });
}

export function designateJurisdiction(c, opts) {
  return disclosure(t('a.designate'), (close) => actionForm({
    mutation: 'designateJurisdiction', selection: CASE_SELECTION, submitLabel: t('a.designate'), heading: t('a.designate'),
    fields: [
      { name: 'jurisdiction', label: t('f.designated'), type: 'select', required: true, placeholder: '', options: jurisdictionOptions([c.handlingJurisdiction.code]) },
      { name: 'reason', label: t('f.reason'), type: 'textarea', required: true },
    ],
    input: (v) => ({ caseId: c.id, jurisdiction: v.jurisdiction, reason: v.reason }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function addEvidence(c, opts) {
  return disclosure(t('a.addEvidence'), (close) => actionForm({
    mutation: 'addEvidence', selection: CASE_SELECTION, submitLabel: t('a.addEvidence'), heading: t('a.addEvidence'),
    fields: [
      { name: 'title', label: t('f.title'), required: true },
      { name: 'sha256', label: t('f.sha256'), type: 'file-sha256', required: true, hint: t('m.fileLocal') },
      { name: 'description', label: t('f.evidenceDescription'), type: 'textarea', rows: 2 },
    ],
    input: (v) => ({ caseId: c.id, title: v.title, sha256: v.sha256, description: v.description || null }),
    expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function closeCase(c, opts) {
  return disclosure(t('a.closeCase'), (close) => actionForm({
    mutation: 'closeCase', selection: CASE_SELECTION, submitLabel: t('a.closeCase'), heading: t('a.closeCase'), danger: true,
    fields: [
      { name: 'outcome', label: t('f.outcome'), type: 'select', required: true, placeholder: '', options: enumOptions('CaseOutcome') },
      { name: 'decisionNumber', label: t('f.decisionNumber'), hint: t('m.forPenalty') },
      { name: 'amountYuan', label: t('f.amountYuan'), type: 'number', hint: t('m.forPenalty') },
      { name: 'outcomeLegalBasis', label: t('f.outcomeLegalBasis'), hint: t('m.forPenalty') },
      { name: 'ground', label: t('f.ground'), hint: t('m.forNoPenalty') },
      { name: 'agency', label: t('f.agency'), hint: t('m.forAgency') },
      { name: 'mergedInto', label: t('f.mergedInto'), hint: t('m.forMerged') },
      { name: 'summary', label: t('f.closingSummary'), type: 'textarea' },
    ],
    input: (v) => ({ caseId: c.id, outcome: v.outcome, summary: v.summary || null, details: outcomeDetails(v) }),
    expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

/** The details an outcome records (the server checks which ones it needs); yuan to fen. */
function outcomeDetails(v) {
  const amount = v.amountYuan === '' ? null : Math.round(Number(v.amountYuan) * 100);
  const details = {
    decisionNumber: v.decisionNumber || null, amountFen: Number.isFinite(amount) ? amount : null,
    legalBasis: v.outcomeLegalBasis || null, ground: v.ground || null, agency: v.agency || null,
    mergedInto: v.mergedInto || null,
  };
  return Object.values(details).some((x) => x !== null) ? details : null;
}

// -- case procedure: superiors, decision period, suspension (issue 11) ---------------------

export function takeOverCase(c, opts) {
  return reasonForm('takeOverCase', t('a.takeOver'), c, opts);
}

export function assignCase(c, opts) {
  return disclosure(t('a.assign'), (close) => actionForm({
    mutation: 'assignCase', selection: CASE_SELECTION, submitLabel: t('a.assign'), heading: t('a.assign'),
    fields: [
      { name: 'jurisdiction', label: t('f.assignee'), type: 'select', required: true, placeholder: '', options: jurisdictionOptions([c.handlingJurisdiction.code]) },
      { name: 'reason', label: t('f.reason'), type: 'textarea', required: true },
    ],
    input: (v) => ({ caseId: c.id, jurisdiction: v.jurisdiction, reason: v.reason }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function extendDecisionPeriod(c, opts) {
  return disclosure(t('a.extendDecision'), (close) => actionForm({
    mutation: 'extendDecisionPeriod', selection: CASE_SELECTION, submitLabel: t('a.extendDecision'), heading: t('a.extendDecision'),
    fields: [
      { name: 'approver', label: t('f.approver'), required: true },
      { name: 'days', label: t('f.days'), type: 'number', hint: t('m.extensionDays') },
      { name: 'collectiveDecision', label: t('f.collectiveDecision'), hint: t('m.collectiveDecision') },
      { name: 'reason', label: t('f.reason'), type: 'textarea', required: true },
    ],
    input: (v) => ({ caseId: c.id, approver: v.approver, reason: v.reason, days: v.days ? Number(v.days) : null,
                     collectiveDecision: v.collectiveDecision || null }),
    expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function pauseCaseClock(c, opts) {
  return disclosure(t('a.pauseClock'), (close) => actionForm({
    mutation: 'pauseCaseClock', selection: CASE_SELECTION, submitLabel: t('a.pauseClock'), heading: t('a.pauseClock'),
    fields: [
      { name: 'reason', label: t('f.pauseReason'), type: 'select', required: true, placeholder: '', options: enumOptions('CaseClockPauseReason') },
      { name: 'detail', label: t('f.detail'), type: 'textarea', rows: 2 },
    ],
    input: (v) => ({ caseId: c.id, reason: v.reason, detail: v.detail || null }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function resumeCaseClock(c, opts) {
  return oneClick('resumeCaseClock', t('a.resumeClock'), { caseId: c.id }, { ...opts, selection: CASE_SELECTION });
}

export function suspendCase(c, opts) {
  return reasonForm('suspendCase', t('a.suspend'), c, opts, true);
}

export function resumeCase(c, opts) {
  return oneClick('resumeCase', t('a.resume'), { caseId: c.id }, { ...opts, selection: CASE_SELECTION });
}

function reasonForm(mutation, title, c, opts, danger = false) {
  return disclosure(title, (close) => actionForm({
    mutation, selection: CASE_SELECTION, submitLabel: title, heading: title, danger,
    fields: [{ name: 'reason', label: t('f.reason'), type: 'textarea', required: true }],
    input: (v) => ({ caseId: c.id, reason: v.reason }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

// -- evidence requests ------------------------------------------------------------------

export function requestEvidence(c, opts) {
  return disclosure(t('a.requestEvidence'), (close) => actionForm({
    mutation: 'requestEvidence', selection: REQUEST_SELECTION, submitLabel: t('a.requestEvidence'), heading: t('a.requestEvidence'),
    fields: [
      { name: 'requested', label: t('f.requested'), type: 'select', required: true, placeholder: '', options: jurisdictionOptions([myCode()]) },
      { name: 'description', label: t('f.description'), type: 'textarea', required: true },
      { name: 'legalBasis', label: t('f.legalBasis') },
      { name: 'dueAt', label: t('f.dueDate'), type: 'date' },
    ],
    input: (v) => ({ caseId: c.id, requested: v.requested, description: v.description, legalBasis: v.legalBasis || null, dueAt: endOfDay(v.dueAt) }),
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function fulfilRequest(request, opts) {
  return disclosure(t('a.fulfil'), (close) => actionForm({
    mutation: 'fulfilEvidenceRequest', selection: REQUEST_SELECTION, submitLabel: t('a.fulfil'), heading: t('a.fulfil'),
    fields: [
      { name: 'items', label: t('f.items'), type: 'items' },
      { name: 'note', label: t('f.findingsNote'), type: 'textarea', rows: 2, hint: t('m.findingsNote') },
    ],
    input: (v) => ({ requestId: request.id, items: v.items, note: v.note || null }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }), { className: 'primary' });
}

export function refuseRequest(request, opts) {
  return disclosure(t('a.refuse'), (close) => actionForm({
    mutation: 'refuseEvidenceRequest', selection: REQUEST_SELECTION, submitLabel: t('a.refuse'), heading: t('a.refuse'), danger: true,
    fields: [
      // 行政处罚法 Art 26: only these two grounds; the older values remain readable in old refusals.
      { name: 'reason', label: t('f.refusalReason'), type: 'select', required: true, placeholder: '',
        options: enumOptions('RefusalReason').filter((o) => REFUSAL_GROUNDS.includes(o.value)) },
      { name: 'competentJurisdiction', label: t('f.competentOffice'), type: 'select', placeholder: '',
        options: jurisdictionOptions([myCode()]) },
      { name: 'detail', label: t('f.detail'), type: 'textarea' },
    ],
    input: (v) => ({ requestId: request.id, reason: v.reason, detail: v.detail || null,
      competentJurisdiction: v.competentJurisdiction || null }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

const REFUSAL_GROUNDS = ['OUTSIDE_COMPETENCE', 'OTHER'];

export function acknowledgeRequest(request, opts) {
  return oneClick('acknowledgeEvidenceRequest', t('a.acknowledge'), { requestId: request.id }, { ...opts, selection: REQUEST_SELECTION });
}

/** Either side, before the due date passes: a later due date and the reason. */
export function extendRequest(request, opts) {
  return disclosure(t('a.extend'), (close) => actionForm({
    mutation: 'extendEvidenceRequest', selection: REQUEST_SELECTION, submitLabel: t('a.extend'), heading: t('a.extend'),
    fields: [
      { name: 'dueAt', label: t('f.newDueDate'), type: 'date', required: true },
      { name: 'reason', label: t('f.reason'), type: 'textarea', required: true },
    ],
    input: (v) => ({ requestId: request.id, dueAt: endOfDay(v.dueAt), reason: v.reason }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function withdrawRequest(request, opts) {
  return disclosure(t('a.withdrawRequest'), (close) => actionForm({
    mutation: 'withdrawEvidenceRequest', selection: REQUEST_SELECTION, submitLabel: t('a.withdrawRequest'), danger: true,
    fields: [{ name: 'reason', label: t('f.reason'), type: 'textarea' }],
    input: (v) => ({ requestId: request.id, reason: v.reason || null }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

/** The requested side needs more information: the clock pauses until the applicant answers. */
export function askClarification(request, opts) {
  return disclosure(t('a.askClarification'), (close) => actionForm({
    mutation: 'askClarification', selection: REQUEST_SELECTION, submitLabel: t('a.askClarification'), heading: t('a.askClarification'),
    fields: [{ name: 'question', label: t('f.question'), type: 'textarea', required: true, hint: t('m.clockPauses') }],
    input: (v) => ({ requestId: request.id, question: v.question }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function answerClarification(request, opts) {
  return disclosure(t('a.answerClarification'), (close) => actionForm({
    mutation: 'answerClarification', selection: REQUEST_SELECTION, submitLabel: t('a.answerClarification'), heading: t('a.answerClarification'),
    fields: [{ name: 'answer', label: t('f.answer'), type: 'textarea', required: true }],
    input: (v) => ({ requestId: request.id, answer: v.answer }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }), { className: 'primary' });
}

// -- joint actions ----------------------------------------------------------------------

export function joinJointAction(action, opts) {
  return oneClick('joinJointAction', t('a.join'), { jointActionId: action.id }, { ...opts, selection: ACTION_SELECTION });
}

export function declineJointAction(action, opts) {
  return disclosure(t('a.decline'), (close) => actionForm({
    mutation: 'declineJointAction', selection: ACTION_SELECTION, submitLabel: t('a.confirmDecline'), danger: true,
    fields: [{ name: 'reason', label: t('f.reason'), type: 'textarea', required: true }],
    input: (v) => ({ jointActionId: action.id, reason: v.reason }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

/** Propose a joint action on `caseChoices` ([{id, reference, title}]), `preselected` ticked. */
export function proposeJointAction(caseChoices, preselected, opts) {
  return disclosure(t('a.proposeJoint'), (close) => actionForm({
    mutation: 'proposeJointAction', selection: ACTION_SELECTION, submitLabel: t('a.proposeJoint'), heading: t('a.proposeJoint'),
    fields: [
      { name: 'title', label: t('f.title'), required: true },
      { name: 'objective', label: t('f.objective'), type: 'textarea', rows: 2 },
      { name: 'caseIds', label: t('f.cases'), type: 'checkboxes', required: true, value: preselected,
        options: caseChoices.map((c) => ({ value: c.id, label: `${c.reference} ${c.title}` })) },
      { name: 'participants', label: t('f.participants'), type: 'checkboxes', required: true, options: jurisdictionOptions([myCode()]) },
    ],
    input: (v) => ({ title: v.title, objective: v.objective || null, caseIds: v.caseIds, participants: v.participants }),
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }), { className: opts.primary ? 'primary' : 'secondary' });
}

export function assignTask(action, opts) {
  const assignees = [action.coordinator, ...action.participants.filter((p) => p.status === 'JOINED').map((p) => p.jurisdiction)];
  return disclosure(t('a.assignTask'), (close) => actionForm({
    mutation: 'assignJointTask', selection: ACTION_SELECTION, submitLabel: t('a.assignTask'), heading: t('a.assignTask'),
    fields: [
      { name: 'assignee', label: t('f.assignee'), type: 'select', required: true, placeholder: '',
        options: assignees.map((j) => ({ value: j.code, label: `${nameOf(j)} (${j.code})` })) },
      { name: 'title', label: t('f.taskTitle'), required: true },
      { name: 'dueAt', label: t('f.taskDue'), type: 'date' },
    ],
    input: (v) => ({ jointActionId: action.id, assignee: v.assignee, title: v.title, dueAt: endOfDay(v.dueAt) }),
    expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}

export function completeTask(action, task, opts) {
  return disclosure(t('a.completeTask'), (close) => actionForm({
    mutation: 'completeJointTask', selection: ACTION_SELECTION, submitLabel: t('a.completeTask'),
    fields: [{ name: 'outcome', label: t('f.taskOutcome'), type: 'textarea', required: true, rows: 2 }],
    input: (v) => ({ jointActionId: action.id, taskId: task.id, outcome: v.outcome }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }), { className: 'primary small' });
}

export function closeJointAction(action, opts) {
  return disclosure(t('a.closeJoint'), (close) => actionForm({
    mutation: 'closeJointAction', selection: ACTION_SELECTION, submitLabel: t('a.closeJoint'), danger: true,
    fields: [{ name: 'commonPosition', label: t('f.commonPosition'), type: 'textarea' }],
    input: (v) => ({ jointActionId: action.id, commonPosition: v.commonPosition || null }), expectedVersion: () => opts.version,
    onSuccess: (r) => { close(); opts.done(r); }, onReload: opts.reload, onCancel: close,
  }));
}
