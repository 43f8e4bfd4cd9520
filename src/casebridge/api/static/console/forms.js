// One way to run a mutation from a form: labelled fields, required checks before sending,
// a clientMutationId per intent (a double click or a retry after a lost response applies
// once), expectedVersion when the page shows a version, and problems shown where they
// belong: a ValidationProblem next to the field it names, a conflict with a reload button.

import { ApiError, isSuccess, mutate, newMutationId } from './api.js';
import { append, announce, h, uid } from './dom.js';
import { sha256Hex, SHA256_PATTERN } from './hash.js';
import { hasLabel, t } from './i18n.js';

/**
 * @param {object} spec
 * @param {string} spec.mutation       mutation name, e.g. 'requestTransfer'
 * @param {string} [spec.selection]    fields of the success to fetch
 * @param {Array}  spec.fields         [{name, label, type, required, options, hint, value}]
 * @param {string} spec.submitLabel
 * @param {(values: object) => object} [spec.input]  builds the input from the field values
 * @param {() => (number|undefined)} [spec.expectedVersion]
 * @param {(result: object) => void} spec.onSuccess
 * @param {() => void} [spec.onReload]  what "reload" does after a conflict
 * @param {() => void} [spec.onCancel]  shows a cancel button when given
 * @param {string} [spec.heading]
 * @param {string} [spec.className]
 * @param {string} [spec.danger]        style the submit button as a destructive action
 */
export function actionForm(spec) {
  let clientMutationId = newMutationId();
  const controls = new Map();
  const formProblem = h('div', { class: 'form-problem', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: spec.danger ? 'danger' : 'primary' }, spec.submitLabel);
  const form = h('form', {
    class: `action-form ${spec.className || ''}`, novalidate: true,
    dataset: { mutation: spec.mutation },
  },
  spec.heading ? h('h3', { class: 'form-heading' }, spec.heading) : null,
  spec.fields.map((field) => renderField(field, controls)),
  formProblem,
  h('div', { class: 'form-actions' },
    submit,
    spec.onCancel ? h('button', { type: 'button', class: 'secondary', onclick: spec.onCancel }, t('a.cancel')) : null));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return; // a second click while the first is in flight
    clearProblems(form, formProblem);
    const values = collect(spec.fields, controls);
    const missing = checkRequired(spec.fields, values, form);
    if (missing) {
      showFormProblem(formProblem, t('m.pleaseFix'));
      missing.focus();
      return;
    }
    const input = { ...(spec.input ? spec.input(values) : values), clientMutationId };
    const version = spec.expectedVersion ? spec.expectedVersion() : undefined;
    if (version !== undefined && version !== null) input.expectedVersion = version;

    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    let result;
    try {
      result = await mutate(spec.mutation, input, spec.selection);
    } catch (error) {
      // No answer: keep the same clientMutationId, so trying again cannot apply twice.
      const message = error instanceof ApiError && error.code === 'NETWORK' ? t('m.network') : t('m.error', { message: error.message });
      showFormProblem(formProblem, message);
      return;
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
    clientMutationId = newMutationId(); // answered: the next submit is a new intent
    if (isSuccess(result)) {
      spec.onSuccess(result);
      return;
    }
    showProblem(form, formProblem, result, spec.onReload);
  });
  return form;
}

function renderField(field, controls) {
  if (field.type === 'hidden') {
    controls.set(field.name, { value: () => field.value });
    return null;
  }
  const id = uid('field');
  const errorId = `${id}-error`;
  const hintId = field.hint ? `${id}-hint` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const wrapper = h('div', { class: `field field-${field.type || 'text'}`, dataset: { field: field.name } });
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  let control;

  if (field.type === 'checkboxes') {
    const boxes = field.options.map((option) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: option.value, checked: (field.value || []).includes(option.value) }),
      ' ', option.label));
    // A long list (the jurisdiction registry can be extended) gets a filter box.
    const filter = boxes.length > 12 ? h('input', { type: 'search', class: 'check-filter', 'aria-label': `${t('f.filterList')}: ${field.label}`, placeholder: t('f.filterList') }) : null;
    if (filter) {
      filter.addEventListener('input', () => {
        const needle = filter.value.trim().toLowerCase();
        for (const box of boxes) box.hidden = Boolean(needle) && !box.textContent.toLowerCase().includes(needle) && !box.querySelector('input').checked;
      });
    }
    control = h('fieldset', { class: 'checks', 'aria-describedby': describedBy },
      h('legend', {}, field.label, field.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      filter,
      h('div', { class: 'check-grid' }, boxes));
    controls.set(field.name, { value: () => boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value), focus: () => boxes[0]?.querySelector('input').focus(), element: control });
    append(wrapper, [control, hintId ? h('p', { class: 'hint', id: hintId }, field.hint) : null, error]);
    return wrapper;
  }

  if (field.type === 'items') {
    const list = evidenceItems(field, controls);
    wrapper.append(list, error);
    return wrapper;
  }

  if (field.type === 'file-sha256') {
    const group = fileHashField(field, id, describedBy);
    controls.set(field.name, { value: () => group.input.value.trim().toLowerCase(), focus: () => group.file.focus(), element: group.input });
    append(wrapper, [group.element, hintId ? h('p', { class: 'hint', id: hintId }, field.hint) : null, error]);
    return wrapper;
  }

  const common = { id, name: field.name, 'aria-describedby': describedBy, required: field.required || null, autocomplete: 'off' };
  if (field.type === 'textarea') control = h('textarea', { ...common, rows: field.rows || 3 }, field.value || '');
  else if (field.type === 'select') {
    control = h('select', common,
      field.placeholder !== undefined ? h('option', { value: '' }, field.placeholder) : null,
      field.options.map((option) => h('option', { value: option.value, selected: option.value === field.value }, option.label)));
  } else control = h('input', { ...common, type: field.type || 'text', value: field.value || '', placeholder: field.placeholderText || null });

  controls.set(field.name, { value: () => control.value.trim(), focus: () => control.focus(), element: control });
  append(wrapper, [
    h('label', { for: id }, field.label, field.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    hintId ? h('p', { class: 'hint', id: hintId }, field.hint) : null,
    error,
  ]);
  return wrapper;
}

/** A file chooser that fills a SHA-256 input with the digest computed in this browser. */
function fileHashField(field, id, describedBy) {
  const fileId = `${id}-file`;
  const status = h('p', { class: 'hash-status', 'aria-live': 'polite' });
  const input = h('input', {
    id, name: field.name, type: 'text', class: 'mono', spellcheck: 'false', autocomplete: 'off',
    pattern: '[0-9a-fA-F]{64}', 'aria-describedby': describedBy, required: field.required || null,
  });
  const file = h('input', { id: fileId, type: 'file', class: 'file', dataset: { role: 'hash-file' } });
  file.addEventListener('change', async () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    status.textContent = t('m.hashing');
    input.value = '';
    try {
      input.value = await sha256Hex(chosen);
      status.replaceChildren(t('m.fileLocal'), ' ', h('code', { class: 'sha256 computed' }, input.value));
      if (field.titleFrom) {
        const title = field.titleFrom();
        if (title && !title.value) title.value = chosen.name;
      }
    } catch {
      status.textContent = t('m.hashFailed');
    }
  });
  const element = h('div', { class: 'file-hash' },
    h('label', { for: fileId }, field.fileLabel || t('f.file')),
    file,
    h('label', { for: id }, field.label, field.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    status);
  return { element, input, file };
}

/** The `items` of a fulfilment: each with a title and a locally computed SHA-256. */
function evidenceItems(field, controls) {
  const rows = [];
  const list = h('div', { class: 'items' });
  const legend = h('p', { class: 'items-legend' }, field.label);
  const addButton = h('button', { type: 'button', class: 'secondary small', onclick: () => addRow() }, t('a.addItem'));

  function addRow() {
    const index = rows.length;
    const titleId = uid('item-title');
    const title = h('input', { id: titleId, type: 'text', autocomplete: 'off', dataset: { role: 'item-title' } });
    const titleError = h('p', { class: 'field-error', hidden: true, id: `${titleId}-error` });
    title.setAttribute('aria-describedby', `${titleId}-error`);
    const hashId = uid('item-hash');
    const hash = fileHashField({ name: `items[${index}].sha256`, label: t('f.sha256'), titleFrom: () => title }, hashId, `${hashId}-error`);
    const hashError = h('p', { class: 'field-error', hidden: true, id: `${hashId}-error` });
    const row = {
      title, hash: hash.input,
      element: h('fieldset', { class: 'item' },
        h('legend', {}, `${t('f.items')} ${index + 1}`),
        h('div', { class: 'field', dataset: { field: `items[${index}].title` } },
          h('label', { for: titleId }, t('f.itemTitle'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), title, titleError),
        h('div', { class: 'field', dataset: { field: `items[${index}].sha256` } }, hash.element, hashError)),
    };
    rows.push(row);
    list.append(row.element);
  }

  addRow();
  controls.set(field.name, {
    value: () => rows.map((row) => ({ title: row.title.value.trim(), sha256: row.hash.value.trim().toLowerCase() }))
      .filter((item) => item.title || item.sha256),  // none at all: a findings note may answer alone
    focus: () => rows[0].title.focus(),
    items: rows,
  });
  return h('div', { class: 'items-field' }, legend, list, addButton);
}

function collect(fields, controls) {
  const values = {};
  for (const field of fields) values[field.name] = controls.get(field.name).value();
  return values;
}

/** Marks empty required fields and malformed hashes; returns the first control to fix, or null. */
function checkRequired(fields, values, form) {
  let first = null;
  const mark = (name, message) => {
    const target = markField(form, name, message);
    if (!first && target) first = target;
  };
  for (const field of fields) {
    const value = values[field.name];
    if (field.type === 'items') {
      value.forEach((item, i) => {
        if (!item.title) mark(`items[${i}].title`, t('m.required'));
        if (!item.sha256) mark(`items[${i}].sha256`, t('m.required'));
        else if (!SHA256_PATTERN.test(item.sha256)) mark(`items[${i}].sha256`, t('m.sha256'));
      });
      continue;
    }
    const empty = Array.isArray(value) ? value.length === 0 : !value;
    if (field.required && empty) mark(field.name, field.type === 'checkboxes' ? t('m.chooseOne') : t('m.required'));
    else if (field.type === 'file-sha256' && value && !SHA256_PATTERN.test(value)) mark(field.name, t('m.sha256'));
  }
  return first;
}

/** The server's message (in English) after a label of its code in the page's language. */
function serverMessage(problem) {
  const key = `problem.${problem.code}`;
  return [hasLabel(key) ? `${t(key)} ` : '', h('span', { lang: 'en' }, problem.message)];
}

/** Shows `message` (text or nodes) under the field named `name` (an input path); returns its control. */
function markField(form, name, message) {
  const wrapper = findField(form, name);
  if (!wrapper) return null;
  const error = Array.from(wrapper.querySelectorAll('.field-error')).pop();
  error.replaceChildren(...[message].flat());
  error.hidden = false;
  const control = wrapper.querySelector('input:not([type=file]):not([type=checkbox]), select, textarea') || wrapper.querySelector('input');
  if (control) control.setAttribute('aria-invalid', 'true');
  wrapper.classList.add('invalid');
  return control;
}

function findField(form, name) {
  const all = Array.from(form.querySelectorAll('[data-field]'));
  const exact = all.find((el) => el.dataset.field === name);
  if (exact) return exact;
  // `subject` for `subject.name`, `items[0]` for `items[0].title`, ...: the closest enclosing field.
  const prefixes = all.filter((el) => name.startsWith(`${el.dataset.field}.`) || name.startsWith(`${el.dataset.field}[`));
  if (prefixes.length) return prefixes.sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0];
  return all.find((el) => el.dataset.field.startsWith(`${name}.`) || el.dataset.field.startsWith(`${name}[`)) || null;
}

function clearProblems(form, formProblem) {
  for (const error of form.querySelectorAll('.field-error')) { error.hidden = true; error.textContent = ''; }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  formProblem.hidden = true;
  formProblem.replaceChildren();
}

function showFormProblem(formProblem, message, ...extra) {
  formProblem.replaceChildren(h('p', {}, message), ...extra);  // message: text or nodes
  formProblem.hidden = false;
}

function showProblem(form, formProblem, problem, onReload) {
  form.dataset.problem = problem.code;
  if (problem.code === 'VALIDATION' || (problem.code === 'NOT_FOUND' && problem.field)) {
    const control = problem.field ? markField(form, problem.field, serverMessage(problem)) : null;
    if (control) {
      showFormProblem(formProblem, t('m.pleaseFix'));
      control.focus();
      return;
    }
  }
  if (problem.code === 'CONFLICT') {
    const reload = h('button', { type: 'button', class: 'primary', onclick: () => (onReload ? onReload() : location.reload()) }, t('a.reload'));
    showFormProblem(formProblem, t('m.conflict'), reload);
    reload.focus();
    announce(t('m.conflict'));
    return;
  }
  showFormProblem(formProblem, serverMessage(problem));
}

/** A button that reveals a form in place (and hides it again on cancel or success). */
export function disclosure(buttonLabel, makeForm, { className = 'secondary' } = {}) {
  const holder = h('div', { class: 'disclosure' });
  const button = h('button', { type: 'button', class: className, 'aria-expanded': 'false' }, buttonLabel);
  const close = () => {
    holder.replaceChildren(button);
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  };
  button.addEventListener('click', () => {
    const form = makeForm(close);
    holder.replaceChildren(form);
    const first = form.querySelector('input:not([type=hidden]), select, textarea');
    if (first) first.focus();
  });
  holder.append(button);
  return holder;
}
