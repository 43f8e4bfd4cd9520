// The case's recorded history (history:read), its integrity check and as-of viewing.
// Another part of the API provides caseHistory / verifyCase / caseAsOf; the panel asks for
// them and stays hidden when this server does not offer them (or the user may not read
// history), rather than failing the page.

import { ApiError, gql, isMissingField } from '../api.js';
import { h } from '../dom.js';
import { eventLabel, formatDateTime, label, t } from '../i18n.js';
import { HISTORY_VARIANTS, VERIFY_VARIANTS, caseAsOf } from '../queries.js';
import { nameOf } from '../state.js';
import { facts, jurisdiction, sha, statusChip, when } from './components.js';

let historyVariant = null; // the query shape this server answered, once known
let asOfFull = true;

function isUnavailable(error) {
  return error instanceof ApiError && (error.code === 'FORBIDDEN' || error.code === 'GRAPHQL_VALIDATION_FAILED' || isMissingField(error));
}

async function fetchHistory(caseId, after) {
  const candidates = historyVariant ? [historyVariant] : HISTORY_VARIANTS;
  let lastError = null;
  for (const variant of candidates) {
    if (after && !variant.paged) break;
    try {
      const data = await gql(variant.query, variant.paged ? { id: caseId, after } : { id: caseId });
      historyVariant = variant;
      const history = data.caseHistory;
      if (!history) return null;
      if (!variant.paged) return { events: history, hasNext: false, cursor: null };
      return { events: history.edges.map((e) => e.node), hasNext: history.pageInfo.hasNextPage, cursor: history.pageInfo.endCursor };
    } catch (error) {
      lastError = error;
      if (isMissingField(error, 'caseHistory') || (error instanceof ApiError && error.code === 'FORBIDDEN')) throw error;
      if (!(error instanceof ApiError && error.code === 'GRAPHQL_VALIDATION_FAILED')) throw error;
    }
  }
  throw lastError;
}

/** The timeline panel; the case as of a version is shown in `asOf` (placed by the page, above the facts). */
export function renderTimeline(caseId, asOf) {
  const panel = h('section', { class: 'panel panel-timeline timeline', id: 'timeline', hidden: true, 'aria-labelledby': 'h-timeline' },
    h('h2', { id: 'h-timeline' }, t('s.timeline')));
  const integrity = h('div', { class: 'integrity', id: 'integrity' });
  const list = h('ol', { class: 'events', id: 'events' });
  const more = h('button', { type: 'button', class: 'secondary small', hidden: true }, t('a.moreHistory'));
  let cursor = null;
  panel.append(integrity, list, more);

  async function page(after) {
    let result;
    try {
      result = await fetchHistory(caseId, after);
    } catch (error) {
      if (isUnavailable(error)) { panel.remove(); return; }
      list.append(h('li', { class: 'form-problem' }, t('m.error', { message: error.message })));
      panel.hidden = false;
      return;
    }
    if (!result) { panel.remove(); return; }
    panel.hidden = false;
    for (const event of result.events) list.append(eventItem(event));
    cursor = result.cursor;
    more.hidden = !result.hasNext;
  }
  more.addEventListener('click', () => page(cursor));

  function eventItem(event) {
    const actor = event.actor || {};
    const actorJurisdiction = typeof actor.jurisdiction === 'object' && actor.jurisdiction ? actor.jurisdiction.code : actor.jurisdiction;
    const isCaseEvent = /(^|[:.])Case\./.test(String(event.type));
    return h('li', { class: 'event', dataset: { version: event.version, type: event.type } },
      h('div', { class: 'event-head' },
        h('span', { class: 'event-version' }, `v${event.version}`),
        h('strong', { class: 'event-type' }, eventLabel(event.type)),
        when(event.occurredAt)),
      h('div', { class: 'event-meta' },
        actorJurisdiction ? `${t('f.actor')}: ${nameOf(actorJurisdiction)}` : null,
        actor.user || actor.clientId ? h('span', { class: 'muted' }, ` (${actor.user || actor.clientId})`) : null),
      h('details', {}, h('summary', {}, t('a.showData')),
        h('pre', { class: 'event-data' }, JSON.stringify(event.data, null, 2)),
        h('p', { class: 'muted' }, `${t('f.digest')}: `, sha(event.digest))),
      isCaseEvent ? h('button', { type: 'button', class: 'ghost small', onclick: () => showAsOf(event) }, t('a.asOf')) : null);
  }

  async function showAsOf(event) {
    let data;
    try {
      data = await gql(caseAsOf(event.version, asOfFull), { id: caseId });
    } catch (error) {
      if (asOfFull && error instanceof ApiError && error.code === 'GRAPHQL_VALIDATION_FAILED' && !isMissingField(error, 'caseAsOf')) {
        asOfFull = false;
        showAsOf(event);
        return;
      }
      asOf.replaceChildren(h('p', { class: 'form-problem' }, t('m.asOfUnavailable')));
      return;
    }
    const c = data.caseAsOf;
    if (!c) { asOf.replaceChildren(h('p', { class: 'form-problem' }, t('m.asOfUnavailable'))); return; }
    const back = h('button', { type: 'button', class: 'ghost small', onclick: () => { asOf.replaceChildren(); } }, t('a.backToNow'));
    asOf.replaceChildren(h('div', { class: 'as-of-box' },
      h('p', { class: 'as-of-banner' }, t('m.asOfBanner', { version: c.version ?? event.version, at: formatDateTime(c.asOf || event.occurredAt) })),
      facts([
        [t('f.title'), c.title],
        [t('f.subject'), c.subject ? c.subject.name : null],
        [t('f.status'), c.status ? statusChip('CaseStatus', c.status) : null],
        [t('f.handling'), jurisdiction(c.handlingJurisdiction)],
        [t('f.category'), c.category ? label('CaseCategory', c.category) : null],
        [t('s.transfer'), c.pendingTransfer ? t('m.pendingTo', { to: nameOf(c.pendingTransfer.to) }) : null],
        [t('s.evidence'), c.evidence ? t('m.evidenceCount', { count: c.evidence.length }) : null],
      ]),
      back));
    back.focus();
  }

  async function verify(variants = VERIFY_VARIANTS) {
    let v;
    try {
      v = (await gql(variants[0], { id: caseId })).verifyCase;
    } catch (error) {
      const shapeOnly = error instanceof ApiError && error.code === 'GRAPHQL_VALIDATION_FAILED' && !isMissingField(error, 'verifyCase');
      if (shapeOnly && variants.length > 1) verify(variants.slice(1));
      return; // no verification on this server (or not allowed): the timeline still shows
    }
    if (!v) return;
    integrity.replaceChildren(h('div', { class: `integrity-result ${v.valid ? 'ok' : 'bad'}`, role: 'status', dataset: { valid: String(v.valid) } },
      h('p', {}, h('span', { class: 'integrity-icon', 'aria-hidden': 'true' }, v.valid ? '✓' : '✗'), ' ',
        v.valid
          ? t('m.integrityValid', { count: v.eventCount, head: String(v.headDigest || '').slice(0, 12) })
          : t('m.integrityInvalid', { version: v.firstInvalidVersion ?? '?' })),
      v.problem ? h('p', { class: 'integrity-detail', lang: 'en' }, v.problem) : null,
      v.checkpoint ? h('p', { class: 'integrity-detail' }, t('m.checkpoint', { version: v.checkpoint.version, at: formatDateTime(v.checkpoint.checkpointedAt) })) : null));
  }

  page(null);
  verify();
  return panel;
}
