// What the signed-in session knows: who the user is, the jurisdictions, the latest inbox.

import { jurisdictionName } from './i18n.js';

export const session = {
  me: null, // { clientId, scopes, jurisdiction }
  jurisdictions: [],
  byCode: new Map(),
  inbox: null,
  liveStatus: 'connecting',
};

const inboxListeners = new Set();
const statusListeners = new Set();

export function setIdentity(me, jurisdictions) {
  session.me = me;
  session.jurisdictions = jurisdictions;
  session.byCode = new Map(jurisdictions.map((j) => [j.code, j]));
}

export function forget() {
  session.me = null;
  session.inbox = null;
}

export function myCode() {
  return session.me ? session.me.jurisdiction.code : null;
}

export function hasScope(scope) {
  return Boolean(session.me && session.me.scopes.includes(scope));
}

/** A jurisdiction's display name from its code (or from an object with a code). */
export function nameOf(j) {
  if (!j) return '';
  const code = typeof j === 'string' ? j : j.code;
  const known = session.byCode.get(code);
  return jurisdictionName(known || (typeof j === 'object' ? j : { code }));
}

/** [{value, label}] of jurisdictions for a select, leaving out `except` codes. */
export function jurisdictionOptions(except = []) {
  return session.jurisdictions
    .filter((j) => !except.includes(j.code))
    .map((j) => ({ value: j.code, label: `${jurisdictionName(j)} (${j.code})` }));
}

export function setInbox(inbox) {
  const previous = session.inbox;
  session.inbox = inbox;
  for (const listener of inboxListeners) listener(inbox, previous);
}

export function onInbox(listener) {
  inboxListeners.add(listener);
  return () => inboxListeners.delete(listener);
}

export function setLiveStatus(status) {
  session.liveStatus = status;
  for (const listener of statusListeners) listener(status);
}

export function onLiveStatus(listener) {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

export function inboxCount(inbox = session.inbox) {
  if (!inbox) return 0;
  return inbox.incomingTransfers.length + inbox.evidenceRequests.length + inbox.jointActionInvitations.length
    + (inbox.designationPetitions || []).length;
}
