// Building the page from data without innerHTML: every text lands in a text node, so what
// another jurisdiction typed can never become markup or script.

let nextId = 0;

/** A unique id for label/aria wiring. */
export function uid(prefix = 'cb') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * h('button', {class: 'primary', onclick: fn, disabled: true}, 'Accept')
 * Attributes: `class`, `dataset` (object), `on<event>` (function), booleans (true → present),
 * anything else through setAttribute. Children: nodes, strings, numbers, arrays; null/false skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected') el[key] = Boolean(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replace all of `el`'s children. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A <select> with options [{value, label}] and an optional empty first choice. */
export function select(attrs, options, { empty = null, selected = '' } = {}) {
  const el = h('select', attrs);
  if (empty !== null) el.append(h('option', { value: '' }, empty));
  for (const option of options) {
    el.append(h('option', { value: option.value, selected: option.value === selected }, option.label));
  }
  return el;
}

/** Say something to screen-reader users without moving their focus. */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes screen readers read a repeated message again.
  setTimeout(() => { region.textContent = message; }, 50);
}

/** Move focus to the page's heading after a navigation, for keyboard and screen-reader users. */
export function focusHeading(root) {
  const heading = root.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}
