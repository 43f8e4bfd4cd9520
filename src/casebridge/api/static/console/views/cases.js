// The case list: text search and filters (kept in the address, so a reload or a shared
// link shows the same list), keyset paging with "load more".

import { gql } from '../api.js';
import { h, uid } from '../dom.js';
import { enumOptions, label, t } from '../i18n.js';
import { CASES } from '../queries.js';
import { hasScope, jurisdictionOptions } from '../state.js';
import { errorBox, jurisdiction, loading, pageHead, statusChip, when } from './components.js';

const PAGE_SIZE = 25;

export function renderCases(main, params) {
  const filter = {
    text: params.get('q') || '',
    status: params.get('status') || '',
    category: params.get('category') || '',
    handlingJurisdiction: params.get('handling') || '',
  };
  const tbody = h('tbody', { id: 'case-rows' });
  const status = h('p', { class: 'result-count', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'load-more', hidden: true }, t('a.loadMore'));
  const problem = h('div');
  let cursor = null;
  let shown = 0;

  async function load(append) {
    more.disabled = true;
    if (!append) { tbody.replaceChildren(); problem.replaceChildren(loading()); shown = 0; }
    try {
      const data = await gql(CASES, { first: PAGE_SIZE, after: append ? cursor : null, filter: graphqlFilter(filter) });
      problem.replaceChildren();
      const { edges, pageInfo } = data.cases;
      for (const edge of edges) tbody.append(row(edge.node));
      shown += edges.length;
      cursor = pageInfo.endCursor;
      more.hidden = !pageInfo.hasNextPage;
      status.textContent = shown ? t('m.resultCount', { count: shown }) : t('m.noCases');
      if (append && edges.length) tbody.children[shown - edges.length].querySelector('a').focus();
    } catch (error) {
      problem.replaceChildren(errorBox(error, () => load(append)));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => load(true));

  main.append(
    pageHead(t('title.cases'), hasScope('cases:write') ? h('a', { class: 'button primary', href: '#/cases/new', id: 'new-case' }, t('nav.newCase')) : null),
    filters(filter),
    status,
    problem,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'cases' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('f.ref')),
          h('th', { scope: 'col' }, t('f.title')),
          h('th', { scope: 'col', class: 'col-subject' }, t('f.subject')),
          h('th', { scope: 'col' }, t('f.category')),
          h('th', { scope: 'col' }, t('f.handling')),
          h('th', { scope: 'col' }, t('f.status')),
          h('th', { scope: 'col', class: 'col-updated' }, t('f.updatedAt')))),
        tbody)),
    h('div', { class: 'more' }, more),
  );
  load(false);
}

function graphqlFilter(filter) {
  const out = {};
  if (filter.text) out.text = filter.text;
  if (filter.status) out.status = filter.status;
  if (filter.category) out.category = filter.category;
  if (filter.handlingJurisdiction) out.handlingJurisdiction = filter.handlingJurisdiction;
  return out;
}

function filters(filter) {
  const ids = { q: uid('q'), status: uid('status'), category: uid('category'), handling: uid('handling') };
  const choose = (name, id, options, value) => h('select', { id, name }, h('option', { value: '' }, t('f.any')),
    options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('s.filters') },
    h('div', { class: 'field grow' }, h('label', { for: ids.q }, t('f.search')),
      h('input', { id: ids.q, name: 'q', type: 'search', value: filter.text, placeholder: t('f.searchHint') })),
    h('div', { class: 'field' }, h('label', { for: ids.status }, t('f.status')), choose('status', ids.status, enumOptions('CaseStatus'), filter.status)),
    h('div', { class: 'field' }, h('label', { for: ids.category }, t('f.category')), choose('category', ids.category, enumOptions('CaseCategory'), filter.category)),
    h('div', { class: 'field' }, h('label', { for: ids.handling }, t('f.handling')), choose('handling', ids.handling, jurisdictionOptions(), filter.handlingJurisdiction)),
    h('div', { class: 'field buttons' },
      h('button', { type: 'submit', class: 'primary' }, t('a.apply')),
      h('a', { class: 'button ghost', href: '#/cases' }, t('a.clear'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (String(value).trim()) params.set(key, String(value).trim());
    const query = params.toString();
    const target = query ? `#/cases?${query}` : '#/cases';
    if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = target;
  });
  return form;
}

function row(c) {
  return h('tr', { dataset: { caseId: c.id } },
    h('td', { class: 'ref', 'data-label': t('f.ref') }, h('a', { href: `#/cases/${encodeURIComponent(c.id)}` }, c.reference)),
    h('td', { 'data-label': t('f.title') }, c.title,
      c.pendingTransfer ? h('span', { class: 'chip warn' }, ` → ${jurisdiction(c.pendingTransfer.to).textContent}`) : null),
    h('td', { 'data-label': t('f.subject'), class: 'col-subject' }, c.subject.name),
    h('td', { 'data-label': t('f.category') }, label('CaseCategory', c.category)),
    h('td', { 'data-label': t('f.handling'), class: 'handling' }, jurisdiction(c.handlingJurisdiction)),
    h('td', { 'data-label': t('f.status') }, statusChip('CaseStatus', c.status)),
    h('td', { 'data-label': t('f.updatedAt'), class: 'col-updated' }, when(c.updatedAt)));
}
