// The inbox: what waits for the user's jurisdiction, updated live by the subscription.
// Items are keyed by id, so an update adds and removes cards without disturbing a form the
// user is filling in on another card.

import { gql } from '../api.js';
import { h } from '../dom.js';
import { label, t } from '../i18n.js';
import { INBOX } from '../queries.js';
import { onInbox, session, setInbox } from '../state.js';
import * as actions from './actions.js';
import { caseLink, chip, empty, facts, isOverdue, jurisdiction, loading, notices, notify, pageHead, statusChip, when } from './components.js';

const OVERDUE_CHECK_MS = 10000;

export function renderInbox(main) {
  const lists = {
    transfers: h('div', { class: 'cards', id: 'inbox-transfers' }),
    requests: h('div', { class: 'cards', id: 'inbox-requests' }),
    invitations: h('div', { class: 'cards', id: 'inbox-invitations' }),
    petitions: h('div', { class: 'cards', id: 'inbox-petitions' }),
  };
  const refresh = () => gql(INBOX).then((d) => setInbox(d.inbox)).catch(() => {});
  const after = (message, link) => { notify(main, message, link); refresh(); };

  main.append(
    pageHead(t('inbox.title')),
    notices(),
    h('div', { class: 'inbox-grid' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-transfers' }, h('h2', { id: 'h-transfers' }, t('inbox.transfers')), lists.transfers),
      h('section', { class: 'panel', 'aria-labelledby': 'h-requests' }, h('h2', { id: 'h-requests' }, t('inbox.requests')), lists.requests),
      h('section', { class: 'panel', 'aria-labelledby': 'h-invitations' }, h('h2', { id: 'h-invitations' }, t('inbox.invitations')), lists.invitations),
      h('section', { class: 'panel', 'aria-labelledby': 'h-petitions' }, h('h2', { id: 'h-petitions' }, t('inbox.petitions')), lists.petitions)),
  );

  const update = (inbox, previous) => {
    if (!inbox) {
      for (const list of Object.values(lists)) list.replaceChildren(loading());
      return;
    }
    const announceNew = Boolean(previous);
    reconcile(lists.transfers, inbox.incomingTransfers, (x) => `${x.id}`, (x) => transferCard(x, after, refresh),
      t('inbox.emptyTransfers'), announceNew && ((x) => notify(main, t('inbox.newTransfer', { title: `${x.case?.reference || ''} ${x.case?.title || ''}` }))));
    reconcile(lists.requests, inbox.evidenceRequests, (x) => `${x.id}:${x.version}:${isOverdue(x)}`, (x) => requestCard(x, after, refresh),
      t('inbox.emptyRequests'), announceNew && ((x) => notify(main, t('inbox.newRequest', { title: `${x.case?.reference || ''} ${x.case?.title || ''}` }))));
    reconcile(lists.invitations, inbox.jointActionInvitations, (x) => `${x.id}:${x.version}`, (x) => invitationCard(x, after, refresh),
      t('inbox.emptyInvitations'), announceNew && ((x) => notify(main, t('inbox.newInvitation', { title: x.title }))));
    reconcile(lists.petitions, (inbox.designationPetitions || []).map((p) => ({ ...p, id: p.case?.id })),
      (x) => `${x.id}:${x.case?.version}:${x.overdue}`, (x) => petitionCard(x, after, refresh), t('inbox.emptyPetitions'), null);
  };
  update(session.inbox, null);
  if (!session.inbox) refresh();
  const stop = onInbox(update);
  // A request becomes overdue without any change to push: look at the clock now and then.
  const clock = setInterval(() => { if (session.inbox) update(session.inbox, null); }, OVERDUE_CHECK_MS);
  return () => { stop(); clearInterval(clock); };
}

/** Make `list` show `items` in order, reusing the card of every item whose key is unchanged. */
function reconcile(list, items, keyOf, render, emptyText, onNew) {
  const existing = new Map();
  for (const child of list.children) if (child.dataset.key) existing.set(child.dataset.key, child);
  const knownIds = new Set(Array.from(existing.values(), (el) => el.dataset.id));
  const wanted = items.map((item) => {
    const key = keyOf(item);
    let card = existing.get(key);
    if (!card) {
      card = render(item);
      card.dataset.key = key;
      card.dataset.id = item.id;
      if (onNew && !knownIds.has(item.id)) {
        card.classList.add('is-new');
        onNew(item);
      }
    }
    return card;
  });
  if (!wanted.length) {
    if (!list.querySelector('.empty')) list.replaceChildren(empty(emptyText));
    return;
  }
  const current = Array.from(list.children);
  if (current.length === wanted.length && current.every((el, i) => el === wanted[i])) return;
  for (const el of current) if (!wanted.includes(el)) el.remove();
  wanted.forEach((card, i) => {
    if (list.children[i] !== card) list.insertBefore(card, list.children[i] || null);
  });
}

function transferCard(transfer, after, refresh) {
  const c = transfer.case;
  const opts = { done: () => after(t('m.done', { what: `${t('a.accept')} ${c.reference}` }), caseLink(c)), reload: refresh };
  return h('article', { class: 'card transfer', dataset: { caseId: c?.id || '' } },
    h('h3', {}, caseLink(c)),
    facts([
      [t('f.from'), jurisdiction(transfer.from)],
      [t('f.subject'), c?.subject?.name],
      [t('f.category'), c ? label('CaseCategory', c.category) : ''],
      [t('f.reason'), transfer.reason],
      [t('f.requestedAt'), when(transfer.requestedAt)],
    ]),
    h('div', { class: 'card-actions' },
      actions.acceptTransfer(c.id, opts),
      actions.declineTransfer(c.id, { ...opts, done: () => after(t('m.done', { what: `${t('a.decline')} ${c.reference}` })) })));
}

function petitionCard(petition, after, refresh) {
  const c = petition.case;
  const opts = { version: c?.version, reload: refresh,
                 done: () => after(t('m.done', { what: `${t('a.designate')} ${c?.reference || ''}` }), caseLink(c)) };
  return h('article', { class: `card petition${petition.overdue ? ' overdue' : ''}` },
    h('h3', {}, caseLink(c)),
    facts([
      [t('f.from'), jurisdiction(petition.from)],
      [t('f.to'), jurisdiction(petition.to)],
      [t('f.reason'), petition.reason],
      [t('f.settleDueAt'), when(petition.settleDueAt)],
      [t('f.designationDue'), when(petition.dueAt)],
    ]),
    c ? h('div', { class: 'card-actions' }, actions.designateJurisdiction(c, opts)) : null);
}

function requestCard(request, after, refresh) {
  const c = request.case;
  const opts = { done: () => after(t('m.done', { what: `${t('a.fulfil')} ${c?.reference || ''}` }), caseLink(c)), reload: refresh };
  const overdue = isOverdue(request);
  return h('article', { class: `card request${overdue ? ' overdue' : ''}` },
    h('h3', {}, caseLink(c)),
    h('p', { class: 'due' },
      h('span', { class: 'due-label' }, `${t('f.dueAt')}: `), when(request.dueAt), ' ',
      overdue ? chip(t('m.overdue'), 'danger') : null),
    h('p', { class: 'description' }, request.description),
    facts([
      [t('f.applicant'), jurisdiction(request.applicant)],
      [t('f.legalBasis'), request.legalBasis],
      [t('f.requestedAt'), when(request.requestedAt)],
      [t('f.status'), statusChip('EvidenceRequestStatus', request.status)],
    ]),
    request.paused ? chip(t('m.paused'), 'warning') : null,
    h('div', { class: 'card-actions' },
      actions.fulfilRequest(request, opts),
      actions.refuseRequest(request, { ...opts, done: () => after(t('m.done', { what: `${t('a.refuse')} ${c?.reference || ''}` })) }),
      request.acknowledged ? null : actions.acknowledgeRequest(request, { ...opts, version: request.version, done: refresh }),
      request.paused ? null : actions.extendRequest(request, { ...opts, version: request.version, done: refresh }),
      request.paused ? null : actions.askClarification(request, { ...opts, version: request.version, done: refresh })));
}

function invitationCard(action, after, refresh) {
  const opts = { done: () => after(t('m.done', { what: `${t('a.join')} ${action.title}` }), h('a', { href: '#/board' }, t('nav.board'))), reload: refresh };
  return h('article', { class: 'card invitation' },
    h('h3', {}, action.title),
    facts([
      [t('f.coordinator'), jurisdiction(action.coordinator)],
      [t('f.objective'), action.objective],
      [t('f.participantList'), h('span', { class: 'chips' }, action.participants.map((p) => chip(`${jurisdiction(p.jurisdiction).textContent} · ${label('JointActionParticipantStatus', p.status)}`)))],
      [t('f.proposedAt'), when(action.proposedAt)],
    ]),
    h('div', { class: 'card-actions' },
      actions.joinJointAction(action, opts),
      actions.declineJointAction(action, { ...opts, done: () => after(t('m.done', { what: `${t('a.decline')} ${action.title}` })) })));
}
