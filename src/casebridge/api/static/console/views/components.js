// Small pieces shared by the pages.

import { announce, h } from '../dom.js';
import { formatDateTime, label, t } from '../i18n.js';
import { nameOf } from '../state.js';

/** A description list from [[term, value], ...]; pairs with an empty value are left out. */
export function facts(pairs, className = 'facts') {
  const dl = h('dl', { class: className });
  for (const [term, value] of pairs) {
    if (value === null || value === undefined || value === '') continue;
    dl.append(h('div', { class: 'fact' }, h('dt', {}, term), h('dd', {}, value)));
  }
  return dl;
}

export function chip(text, kind = '') {
  return h('span', { class: `chip ${kind}` }, text);
}

export function statusChip(enumName, value) {
  return h('span', { class: `chip status status-${String(value).toLowerCase()}`, dataset: { status: value } }, label(enumName, value));
}

export function caseLink(c) {
  if (!c) return '';
  return h('a', { href: `#/cases/${encodeURIComponent(c.id)}`, class: 'case-link' },
    h('span', { class: 'ref' }, c.reference), ' ', h('span', { class: 'case-title' }, c.title));
}

export function when(iso) {
  return iso ? h('time', { datetime: iso }, formatDateTime(iso)) : '';
}

export function jurisdiction(j) {
  return j ? h('span', { class: 'jurisdiction', dataset: { code: j.code }, title: j.code }, nameOf(j)) : '';
}

export function sha(value) {
  return h('code', { class: 'sha256', title: 'SHA-256' }, value);
}

/** A titled panel; an optional first argument `{ className }` adds a class. */
export function section(title, ...children) {
  const options = children[0] && !(children[0] instanceof Node) && typeof children[0] === 'object' && !Array.isArray(children[0])
    ? children.shift() : {};
  return h('section', { class: `panel ${options.className || ''}`.trim() }, h('h2', {}, title), ...children);
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('m.loading'));
}

export function errorBox(error, onRetry) {
  return h('div', { class: 'form-problem', role: 'alert' },
    h('p', {}, t('m.error', { message: error.message || String(error) })),
    onRetry ? h('button', { type: 'button', class: 'secondary', onclick: onRetry }, t('a.reload')) : null);
}

/** A line at the top of a page saying what just happened (also read out to screen readers). */
export function notify(container, message, link) {
  const area = container.querySelector('.notices');
  if (!area) {
    announce(message);
    return;
  }
  area.replaceChildren(h('p', { class: 'notice' }, message, link ? ' ' : null, link || null)); // a live region itself
}

export function pageHead(title, ...extra) {
  document.title = `${title} · CaseBridge`;
  return h('div', { class: 'page-head' }, h('h1', {}, title), extra.length ? h('div', { class: 'page-tools' }, ...extra) : null);
}

export function notices() {
  return h('div', { class: 'notices', role: 'status', 'aria-live': 'polite' });
}

/** Task progress of a joint action: a <progress> (no inline style needed) and its text. */
export function taskProgress(tasks) {
  const total = tasks.length;
  const done = tasks.filter((task) => task.status === 'COMPLETED').length;
  const text = t('m.taskProgress', { done, total });
  return h('div', { class: 'progress' },
    h('progress', { max: String(Math.max(total, 1)), value: String(done), 'aria-label': text }),
    h('span', { class: 'progress-text' }, text));
}

/** Whether an evidence request is past due: the server says so, or its due time has passed
 * since (the page may stay open for hours without the request changing). */
export function isOverdue(request) {
  return Boolean(request.overdue || (request.status === 'OPEN' && Date.parse(request.dueAt) < Date.now()));
}
