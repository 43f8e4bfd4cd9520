// A GraphQL subscription over WebSocket (graphql-transport-ws), kept alive: the token in
// `connection_init`, ping/pong both ways, and reconnection with exponential backoff and
// jitter. The server sends the current state on every (re)subscription, so nothing is
// missed while the connection was down.

import { accessToken, renew } from './auth.js';

const PROTOCOL = 'graphql-transport-ws';
const PING_EVERY_MS = 20000;
const PONG_WITHIN_MS = 10000;
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30000;

export class LiveSubscription {
  /**
   * @param {string} query a subscription document
   * @param {(data: object) => void} onData receives `payload.data` of every `next`
   * @param {(status: 'connecting'|'live'|'reconnecting'|'forbidden'|'stopped') => void} onStatus
   */
  constructor(query, onData, onStatus) {
    this.query = query;
    this.onData = onData;
    this.onStatus = onStatus;
    this.socket = null;
    this.socketToken = null;
    this.replacing = null;
    this.attempt = 0;
    this.stopped = true;
    this.timers = { reconnect: null, ping: null, pong: null };
  }

  start() {
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.clearTimers();
    if (this.replacing) this.replacing.close(1000, 'signed out');
    this.replacing = null;
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id: '1', type: 'complete' }));
      socket.close(1000, 'signed out');
    }
    this.onStatus('stopped');
  }

  /**
   * Move to a fresh token: a new connection is opened with it and the old one is closed once
   * the new one is subscribed, so the server never has to cut a connection whose token
   * expired and the user sees no gap.
   */
  renewed() {
    if (this.stopped || !accessToken() || accessToken() === this.socketToken) return;
    clearTimeout(this.timers.reconnect);
    this.attempt = 0;
    this.connect({ replacing: this.socket });
  }

  connect({ replacing = null } = {}) {
    if (this.stopped) return;
    const token = accessToken();
    if (!token) return; // a new token restarts us
    if (this.replacing && this.replacing !== replacing) this.replacing.close(1000, 'superseded');
    if (!replacing) this.onStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
    const socket = new WebSocket(url, PROTOCOL);
    this.socket = socket;
    this.socketToken = token;
    this.replacing = replacing;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }));
    };
    socket.onmessage = (event) => this.receive(socket, event);
    socket.onclose = (event) => this.closed(socket, event);
    socket.onerror = () => { /* onclose follows and decides */ };
  }

  receive(socket, event) {
    if (socket !== this.socket) return;
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    switch (message.type) {
      case 'connection_ack':
        this.attempt = 0;
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: this.query } }));
        this.onStatus('live');
        this.schedulePing(socket);
        if (this.replacing) { // the new connection is up: let the old one go
          this.replacing.close(1000, 'token renewed');
          this.replacing = null;
        }
        break;
      case 'next':
        if (message.payload && message.payload.data) this.onData(message.payload.data);
        break;
      case 'ping':
        socket.send(JSON.stringify({ type: 'pong' }));
        break;
      case 'pong':
        clearTimeout(this.timers.pong);
        break;
      case 'error':
      case 'complete':
        // The server ended the subscription: start over after a pause.
        socket.close(4000, 'subscription ended');
        break;
      default:
        break;
    }
  }

  schedulePing(socket) {
    clearTimeout(this.timers.ping);
    this.timers.ping = setTimeout(() => {
      if (socket !== this.socket || socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({ type: 'ping' }));
      clearTimeout(this.timers.pong);
      // No pong: the connection is dead even if the socket has not noticed; replace it.
      this.timers.pong = setTimeout(() => socket.close(4408, 'no pong'), PONG_WITHIN_MS);
      this.schedulePing(socket);
    }, PING_EVERY_MS);
  }

  async closed(socket, event) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.clearTimers();
    if (this.replacing) { // the replacement failed: the old connection is no use alone
      this.replacing.close(1000, 'replacement failed');
      this.replacing = null;
    }
    if (this.stopped) return;
    if (event.code === 4403) { // the token may not read cases: retrying will not help
      this.onStatus('forbidden');
      return;
    }
    if (event.code === 4401 && accessToken() === this.socketToken) {
      // The token this connection opened with expired or was refused: get a new one first.
      try { await renew(); } catch { /* renew leaves for the sign-in page if it must */ }
      if (this.socket || this.stopped) return; // the new token already reconnected us (renewed)
    }
    this.attempt += 1;
    this.onStatus('reconnecting');
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.attempt - 1));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.timers.reconnect = setTimeout(() => this.connect(), delay);
  }

  clearTimers() {
    for (const key of Object.keys(this.timers)) {
      clearTimeout(this.timers[key]);
      this.timers[key] = null;
    }
  }
}
