// Sign-in: OAuth 2.0 authorization code with PKCE (RFC 7636, S256), done in the browser.
//
// The access token lives in a module variable only: never in localStorage, sessionStorage,
// a cookie or the URL. sessionStorage holds just the PKCE verifier and state while the
// browser is away at the sign-in page (they are useless without the code, which is
// single-use and bound to the verifier). A reload forgets the token and authorizes again;
// the authorization server's own session cookie makes that silent. Before the token
// expires (or when the API answers 401) the console authorizes again in the background:
// a same-origin fetch follows the redirect to the callback URL and reads the code from it,
// so the page keeps its state; if the server wants the sign-in form instead, the whole
// page goes there.

const PKCE_KEY = 'casebridge.pkce';
const CALLBACK_PATH = '/console/callback';
const RENEW_MARGIN_SECONDS = 60;
const RETRY_RENEWAL_SECONDS = 5;
const TRANSIENT = new Set(['network', 'temporarily_unavailable', 'http_502', 'http_503', 'http_504']);

const DEFAULTS = {
  authorizationEndpoint: '/oauth/authorize',
  tokenEndpoint: '/oauth/token',
  logoutEndpoint: '/oauth/logout',
  logoutMethod: 'POST',
  clientId: 'casebridge-console',
  scope: '',
  redirectUri: null,
  issuer: null,
};

let config = { ...DEFAULTS };
let token = null; // { value, expiresAt, scope, claims }
let renewTimer = null;
let renewing = null;
const listeners = new Set();

export class SignInError extends Error {
  constructor(code, description) {
    super(description || code);
    this.code = code;
  }
}

/** Where to sign in: `/console/config.json` from the server, with the embedded server as default. */
export async function loadConfig() {
  try {
    const response = await fetch('/console/config.json', { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) {
      const body = await response.json();
      config = {
        authorizationEndpoint: pick(body, 'authorization_endpoint', 'authorizationEndpoint', 'authorize_url') || DEFAULTS.authorizationEndpoint,
        tokenEndpoint: pick(body, 'token_endpoint', 'tokenEndpoint', 'token_url') || DEFAULTS.tokenEndpoint,
        logoutEndpoint: pick(body, 'logout_endpoint', 'logoutEndpoint', 'end_session_endpoint') || DEFAULTS.logoutEndpoint,
        logoutMethod: String(pick(body, 'logoutMethod', 'logout_method') || DEFAULTS.logoutMethod).toUpperCase(),
        clientId: pick(body, 'client_id', 'clientId') || DEFAULTS.clientId,
        scope: pick(body, 'scope', 'scopes') || DEFAULTS.scope,
        redirectUri: pick(body, 'redirectUri', 'redirect_uri') || null,
        issuer: pick(body, 'issuer') || null,
      };
      if (Array.isArray(config.scope)) config.scope = config.scope.join(' ');
      if (body.provider === 'embedded') {
        // The embedded server is this very application: talk to it on the origin the console
        // was loaded from, whatever name the issuer uses, so its session cookie is ours.
        for (const key of ['authorizationEndpoint', 'tokenEndpoint', 'logoutEndpoint']) config[key] = samePath(config[key]);
      }
    }
  } catch {
    // No configuration endpoint: the embedded authorization server at its usual paths.
  }
  return config;
}

function samePath(url) {
  try {
    return new URL(url, location.origin).pathname;
  } catch {
    return url;
  }
}

function pick(body, ...names) {
  for (const name of names) if (body && body[name]) return body[name];
  return undefined;
}

export function isSecureEnough() {
  return Boolean(window.isSecureContext && crypto && crypto.subtle);
}

export function redirectUri() {
  // The server names the registered callback; it must be on this origin for the PKCE
  // verifier (kept in this origin's sessionStorage) to be found when the browser returns.
  const own = `${location.origin}${CALLBACK_PATH}`;
  if (config.redirectUri) {
    try {
      if (new URL(config.redirectUri).origin === location.origin) return config.redirectUri;
    } catch { /* not a URL: use our own */ }
  }
  return own;
}

export function isCallback() {
  return location.pathname === CALLBACK_PATH;
}

/** The current access token, or null. */
export function accessToken() {
  return token ? token.value : null;
}

/** What the console shows about the signed-in user (from the token's claims). */
export function identity() {
  return token ? token.claims : null;
}

export function onTokenChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setToken(value) {
  token = value;
  clearTimeout(renewTimer);
  renewTimer = null;
  if (token) {
    const seconds = Math.max(5, (token.expiresAt - Date.now()) / 1000 - RENEW_MARGIN_SECONDS);
    renewTimer = setTimeout(renewInBackground, seconds * 1000);
  }
  for (const listener of listeners) listener(accessToken());
}

/** Renewal before expiry; if the server cannot be reached just now, try again shortly. */
async function renewInBackground() {
  try {
    await renew();
  } catch (error) {
    if (error instanceof SignInError && TRANSIENT.has(error.code) && token) {
      clearTimeout(renewTimer);
      renewTimer = setTimeout(renewInBackground, RETRY_RENEWAL_SECONDS * 1000);
    }
  }
}

// -- PKCE --------------------------------------------------------------------------------

function base64url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(byteCount = 32) {
  const bytes = new Uint8Array(byteCount);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

async function challengeFor(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

async function authorizationRequest({ silent = false } = {}) {
  const verifier = randomString(32); // 43 characters, the RFC 7636 minimum length
  const state = randomString(16);
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    code_challenge: await challengeFor(verifier),
    code_challenge_method: 'S256',
    state,
  });
  if (config.scope) params.set('scope', config.scope);
  if (silent) params.set('prompt', 'none'); // never show a page: answer login_required instead
  const url = new URL(config.authorizationEndpoint, location.origin);
  for (const [key, value] of params) url.searchParams.set(key, value);
  return { url: url.toString(), verifier, state };
}

// -- sign-in by navigation -----------------------------------------------------------------

/** Leave for the sign-in page; come back to `returnTo` (a hash route) afterwards. */
export async function signIn(returnTo = location.hash) {
  const request = await authorizationRequest();
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier: request.verifier, state: request.state, returnTo }));
  location.assign(request.url);
  return new Promise(() => {}); // the page is going away
}

/** On `/console/callback`: trade the code for a token; returns the route to go back to. */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  let pending = null;
  try { pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null'); } catch { pending = null; }
  sessionStorage.removeItem(PKCE_KEY);
  // The code must not stay in the address bar or the history.
  history.replaceState(null, '', `/${pending?.returnTo || ''}`);
  if (!pending || !params.get('state') || params.get('state') !== pending.state) {
    throw new SignInError('invalid_state', 'the sign-in response does not belong to this browser tab');
  }
  if (params.get('error')) throw new SignInError(params.get('error'), params.get('error_description'));
  checkIssuer(params);
  await exchange(params.get('code'), pending.verifier);
  return pending.returnTo || '';
}

/** RFC 9207: a code must come from the server we asked (when it says who it is). */
function checkIssuer(params) {
  const iss = params.get('iss');
  if (iss && config.issuer && iss.replace(/\/$/, '') !== String(config.issuer).replace(/\/$/, '')) {
    throw new SignInError('invalid_issuer', 'the sign-in response came from another server');
  }
}

async function exchange(code, verifier) {
  if (!code) throw new SignInError('invalid_request', 'no authorization code');
  let response;
  try {
    response = await fetch(config.tokenEndpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code, redirect_uri: redirectUri(), client_id: config.clientId, code_verifier: verifier,
      }),
    });
  } catch {
    throw new SignInError('network', 'the token endpoint cannot be reached');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new SignInError(body.error || `http_${response.status}`, body.error_description);
  }
  setToken({
    value: body.access_token,
    expiresAt: Date.now() + (Number(body.expires_in) || 300) * 1000,
    scope: body.scope || '',
    claims: claimsOf(body.access_token),
  });
}

function claimsOf(jwt) {
  // For display only (who is signed in); the server verifies the token on every request.
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(payload), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

// -- silent sign-in ----------------------------------------------------------------------

/**
 * Authorize again without leaving the page, using the authorization server's session.
 * Resolves when a new token is in memory; rejects with SignInError('login_required') when
 * the user has to sign in (no session, or another origin's sign-in page).
 */
export function silentSignIn() {
  if (!renewing) {
    renewing = (async () => {
      const request = await authorizationRequest({ silent: true });
      if (new URL(request.url).origin !== location.origin) {
        // Another origin's sign-in (an external provider) cannot be read from here.
        throw new SignInError('login_required', 'the sign-in page is on another origin');
      }
      let response;
      try {
        response = await fetch(request.url, { credentials: 'same-origin', redirect: 'follow', cache: 'no-store' });
      } catch {
        throw new SignInError('network', 'the sign-in service cannot be reached');
      }
      if (response.status >= 500) throw new SignInError(`http_${response.status}`, 'the sign-in service is unavailable');
      const landed = new URL(response.url);
      if (landed.origin !== location.origin || landed.pathname !== CALLBACK_PATH) {
        throw new SignInError('login_required', 'the user has to sign in');
      }
      if (landed.searchParams.get('state') !== request.state) throw new SignInError('invalid_state');
      const error = landed.searchParams.get('error');
      if (error) {
        // Not signed in (or the session no longer grants anything): the sign-in page decides.
        throw new SignInError(['login_required', 'interaction_required', 'consent_required'].includes(error) ? 'login_required' : error,
          landed.searchParams.get('error_description'));
      }
      checkIssuer(landed.searchParams);
      await exchange(landed.searchParams.get('code'), request.verifier);
    })().finally(() => { renewing = null; });
  }
  return renewing;
}

/** A fresh token: silently if possible, else by going to the sign-in page. */
export async function renew() {
  try {
    await silentSignIn();
  } catch (error) {
    if (error instanceof SignInError && error.code === 'login_required') {
      setToken(null);
      await signIn(location.hash);
    }
    throw error;
  }
}

/** Forget the token and end the authorization server's session. */
export async function signOut() {
  const had = accessToken();
  setToken(null);
  if (config.logoutMethod === 'GET') {
    // An external provider ends its session on its own page (RP-initiated logout).
    location.assign(config.logoutEndpoint);
    return new Promise(() => {});
  }
  try {
    await fetch(config.logoutEndpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: had ? { Authorization: `Bearer ${had}` } : {},
    });
  } catch {
    // The token is forgotten either way; the session cookie then expires on its own.
  }
  return undefined;
}
