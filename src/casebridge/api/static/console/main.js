// The console's entry point: sign in, build the frame, keep the inbox live, route by hash.

import { gql } from './api.js';
import {
  completeSignIn, identity, isCallback, isSecureEnough, loadConfig, onTokenChange, signIn, signOut, silentSignIn,
} from './auth.js';
import { announce, fill, focusHeading, h } from './dom.js';
import { lang, onLangChange, setLang, t } from './i18n.js';
import { LiveSubscription } from './live.js';
import { INBOX, INBOX_SUBSCRIPTION, ME } from './queries.js';
import { forget, inboxCount, nameOf, onInbox, onLiveStatus, session, setIdentity, setInbox, setLiveStatus } from './state.js';
import { renderBoard } from './views/board.js';
import { renderCase } from './views/case.js';
import { renderCases } from './views/cases.js';
import { renderInbox } from './views/inbox.js';
import { renderNewCase } from './views/new-case.js';

const app = document.getElementById('app');
let live = null;
let cleanup = null;
let started = false;

const ROUTES = [
  { pattern: /^#\/inbox$/, nav: 'inbox', render: (main) => renderInbox(main) },
  { pattern: /^#\/cases\/new$/, nav: 'cases', render: (main) => renderNewCase(main) },
  { pattern: /^#\/cases\/([^/?]+)$/, nav: 'cases', render: (main, m) => renderCase(main, decodeURIComponent(m[1])) },
  { pattern: /^#\/cases(?:\?(.*))?$/, nav: 'cases', render: (main, m) => renderCases(main, new URLSearchParams(m[1] || '')) },
  { pattern: /^#\/board$/, nav: 'board', render: (main) => renderBoard(main) },
];

async function boot() {
  if (!isSecureEnough()) {
    fill(app, h('main', { class: 'signin' }, h('h1', {}, t('app.name')), h('p', { role: 'alert' }, t('auth.insecure'))));
    return;
  }
  await loadConfig();
  try {
    if (isCallback()) await completeSignIn();
    else await silentSignIn();
  } catch (error) {
    if (error.code === 'login_required') {
      await signIn(location.hash); // to the sign-in form; we come back to /console/callback
      return;
    }
    showSignedOut(t('auth.failed', { reason: error.message || error.code }));
    return;
  }
  await startSession();
}

async function startSession() {
  let data;
  try {
    data = await gql(ME);
  } catch (error) {
    showSignedOut(t('auth.failed', { reason: error.message }));
    return;
  }
  setIdentity(data.me, data.jurisdictions);
  if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '/#/inbox');
  renderFrame();
  if (!started) {
    started = true;
    window.addEventListener('hashchange', route);
    onLangChange(() => { if (session.me) { renderFrame(); } });
    onInbox(updateBadge);
    onLiveStatus(updateLiveStatus);
    onTokenChange((token) => {
      if (!live) return;
      if (token) live.renewed(); else live.stop();
    });
  }
  live = new LiveSubscription(INBOX_SUBSCRIPTION, (payload) => setInbox(payload.inboxChanged), setLiveStatus);
  live.start();
  // The subscription's first message carries the inbox too; this covers a slow socket.
  gql(INBOX).then((d) => { if (!session.inbox) setInbox(d.inbox); }).catch(() => {});
}

function renderFrame() {
  const claims = identity() || {};
  const user = claims.preferred_username || claims.username || claims.sub || session.me.clientId;
  const navLink = (key, href) => h('a', { href, class: 'nav-link', dataset: { nav: key } }, t(`nav.${key}`),
    key === 'inbox' ? h('span', { class: 'badge', id: 'inbox-badge', hidden: true }) : null);
  const skip = h('a', { class: 'skip-link', href: '#/inbox', onclick: (event) => { event.preventDefault(); document.getElementById('main').focus(); } }, t('nav.skip'));
  const frame = h('div', { class: 'frame' },
    skip,
    h('header', { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '⇄'),
        h('span', { class: 'brand-name' }, t('app.name')), h('span', { class: 'brand-tagline' }, t('app.tagline'))),
      h('nav', { class: 'nav', 'aria-label': t('nav.main') }, navLink('inbox', '#/inbox'), navLink('cases', '#/cases'), navLink('board', '#/board')),
      h('div', { class: 'session' },
        h('span', { class: 'live-status', id: 'live-status', role: 'status' }),
        h('span', { class: 'who', id: 'who' }, t('auth.user', { user, jurisdiction: nameOf(session.me.jurisdiction) })),
        h('button', { type: 'button', class: 'ghost', id: 'lang-toggle', lang: lang() === 'zh' ? 'en' : 'zh', 'aria-label': t('lang.label'), onclick: () => setLang(lang() === 'zh' ? 'en' : 'zh') }, t('lang.toggle')),
        h('button', { type: 'button', class: 'ghost', id: 'sign-out', onclick: doSignOut }, t('auth.signOut')))),
    h('main', { id: 'main', class: 'main', tabindex: '-1' }));
  fill(app, frame);
  updateBadge(session.inbox);
  updateLiveStatus(session.liveStatus);
  route({ keepFocus: true });
}

function route(options = {}) {
  const main = document.getElementById('main');
  if (!main) return;
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  const hash = location.hash || '#/inbox';
  const found = ROUTES.map((r) => ({ r, m: hash.match(r.pattern) })).find((x) => x.m);
  if (!found) { location.hash = '#/inbox'; return; }
  for (const link of document.querySelectorAll('.nav-link')) {
    if (link.dataset.nav === found.r.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  cleanup = found.r.render(main, found.m) || null;
  if (!options.keepFocus) focusHeading(main);
}

function updateBadge(inbox, previous) {
  const badge = document.getElementById('inbox-badge');
  if (!badge) return;
  const count = inboxCount(inbox);
  // Elsewhere than the inbox (which says what arrived), say that something did.
  if (previous && count > inboxCount(previous) && !location.hash.startsWith('#/inbox')) announce(t('inbox.count', { count }));
  badge.textContent = String(count);
  badge.hidden = count === 0;
  badge.setAttribute('aria-label', t('inbox.count', { count }));
}

function updateLiveStatus(status) {
  const el = document.getElementById('live-status');
  if (!el) return;
  const text = { live: 'live.connected', connecting: 'live.connecting', reconnecting: 'live.reconnecting', forbidden: 'live.forbidden' }[status];
  el.textContent = text ? t(text) : '';
  el.dataset.status = status;
}

async function doSignOut() {
  if (live) live.stop();
  live = null;
  await signOut();
  forget();
  showSignedOut(t('auth.signedOut'));
}

function showSignedOut(message) {
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  const signInButton = h('button', { type: 'button', class: 'primary', id: 'sign-in', onclick: () => signIn('#/inbox') }, t('auth.signIn'));
  fill(app, h('main', { class: 'signin', id: 'main' },
    h('div', { class: 'signin-card' },
      h('h1', {}, t('app.name')),
      h('p', { class: 'tagline' }, t('app.tagline')),
      h('p', { role: 'status', class: 'signin-message' }, message),
      signInButton,
      h('button', { type: 'button', class: 'ghost', onclick: () => { setLang(lang() === 'zh' ? 'en' : 'zh'); showSignedOut(message); } }, t('lang.toggle')))));
  announce(message);
  signInButton.focus();
}

boot();
