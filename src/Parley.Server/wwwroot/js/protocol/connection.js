// Protocol v1 over the server's WebSocket (docs/protocol.md): one connection that outlives drops.
// It signs in, answers requests by id, keeps every send until its ack or refusal, reconnects with
// backoff, resumes what was missed (the state says from where) and resends what was not
// acknowledged, with the original ids, so the server stores each message once.

import { newFrameId } from './frame-ids.js';
import { reconnectDelay } from './backoff.js';

const PING_INTERVAL_MS = 30000;
/** A server that accepts the socket but does not answer `hello` in this time is treated as down. */
const HELLO_TIMEOUT_MS = 15000;

/** Codes that mean "this name cannot sign in", as opposed to a passing network problem. */
const FINAL_HELLO_CODES = new Set(['invalid_username', 'auth_failed']);

/** A refusal or failure, with the server's code and its message for a person. */
export class ProtocolError extends Error {
  constructor(code, message, retryAfterMs) {
    super(message);
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

export class ParleyConnection {
  #url;
  #handlers;
  #socket = null;
  #user = '';
  #password = '';
  #signedIn = false;
  #stopped = false;
  #attempt = 0;
  #retryTimer = 0;
  #pingTimer = 0;
  #hello = null;
  /** @type {Map<string, {resolve: Function, reject: Function}>} requests waiting for their reply */
  #requests = new Map();
  /** @type {Map<string, {frame: object, resolve: Function, reject: Function}>} sends waiting for ack, in order */
  #outbox = new Map();

  /**
   * @param {string} url the WebSocket address
   * @param {{onFrame: Function, onStatus: Function, onWelcome: Function, resume: Function}} handlers
   *   onFrame(frame) for what the server sends unasked; onStatus(status, detail) with 'online',
   *   'reconnecting' ({delayMs}) or 'signed-out' ({reason}); onWelcome(welcome) after a reconnect;
   *   resume() gives conversation → last seq seen.
   */
  constructor(url, handlers) {
    this.#url = url;
    this.#handlers = handlers;
  }

  /** The address of the server that served this page. */
  static defaultUrl() {
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  }

  /** Signs in; resolves with `welcome`, rejects with a ProtocolError (code 'unreachable' when no server answers). */
  signIn(user, password) {
    this.#user = user;
    this.#password = password;
    this.#stopped = false;
    return this.#open(undefined).then(welcome => {
      this.#signedIn = true;
      this.#handlers.onStatus('online', {});
      return welcome;
    });
  }

  /** Sends a request that has a reply; resolves with the reply, rejects with a ProtocolError. */
  request(frame) {
    const id = newFrameId('r');
    return new Promise((resolve, reject) => {
      if (!this.#isOpen()) {
        reject(new ProtocolError('offline', 'Not connected: try again once the connection is back.'));
        return;
      }
      this.#requests.set(id, { resolve, reject });
      this.#write({ ...frame, id });
    });
  }

  /**
   * Sends a message; resolves with the `ack`, rejects with the refusal. Kept until then: across a
   * reconnect it is sent again with the same id.
   */
  send(id, to, text) {
    return new Promise((resolve, reject) => {
      const frame = { type: 'send', id, to, text };
      this.#outbox.set(id, { frame, resolve, reject });
      if (this.#isOpen()) {
        this.#write(frame);
      }
    });
  }

  /** Says goodbye and stays disconnected. */
  close() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    if (this.#isOpen()) {
      this.#write({ type: 'quit' });
    }
    this.#socket?.close();
  }

  #isOpen() {
    return this.#socket !== null && this.#socket.readyState === WebSocket.OPEN && this.#hello === null;
  }

  #open(resume) {
    return new Promise((resolve, reject) => {
      let socket;
      try {
        socket = new WebSocket(this.#url);
      } catch (e) {
        reject(new ProtocolError('unreachable', `The server cannot be reached (${e.message}).`));
        return;
      }
      this.#socket = socket;
      const timer = setTimeout(() => socket.close(), HELLO_TIMEOUT_MS);
      this.#hello = {
        resolve: welcome => { clearTimeout(timer); resolve(welcome); },
        reject: error => { clearTimeout(timer); reject(error); },
      };
      socket.addEventListener('open', () => {
        const hello = { type: 'hello', user: this.#user, client: 'parley-web/0.1' };
        if (this.#password) {
          hello.password = this.#password;
        }
        if (resume && Object.keys(resume).length > 0) {
          hello.resume = resume;
        }
        socket.send(JSON.stringify(hello));
      });
      socket.addEventListener('message', event => this.#receive(socket, event.data));
      socket.addEventListener('close', () => this.#closed(socket));
    });
  }

  #receive(socket, data) {
    if (socket !== this.#socket) {
      return;
    }
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (this.#hello !== null) {
      this.#answerHello(socket, frame);
      return;
    }
    if (frame.id !== undefined && this.#settle(frame)) {
      return;
    }
    this.#handlers.onFrame(frame);
  }

  #answerHello(socket, frame) {
    const hello = this.#hello;
    if (frame.type === 'welcome') {
      this.#hello = null;
      this.#attempt = 0;
      this.#pingTimer = setInterval(() => this.#write({ type: 'ping' }), PING_INTERVAL_MS);
      hello.resolve(frame);
      // what was never acknowledged goes again, in order, with its original id
      for (const { frame: send } of this.#outbox.values()) {
        this.#write(send);
      }
    } else if (frame.type === 'error') {
      this.#hello = null;
      hello.reject(new ProtocolError(frame.code, frame.message));
      socket.close();
    }
    // anything else before welcome is not for us
  }

  /** Resolves or rejects the send or request this reply answers; false when nothing waited for it. */
  #settle(frame) {
    const waiting = this.#outbox.get(frame.id) ?? this.#requests.get(frame.id);
    if (waiting === undefined) {
      return false;
    }
    this.#outbox.delete(frame.id);
    this.#requests.delete(frame.id);
    if (frame.type === 'error') {
      waiting.reject(new ProtocolError(frame.code, frame.message, frame.retryAfterMs));
    } else {
      waiting.resolve(frame);
    }
    return true;
  }

  #closed(socket) {
    if (socket !== this.#socket) {
      return;
    }
    clearInterval(this.#pingTimer);
    this.#socket = null;
    for (const request of this.#requests.values()) {
      request.reject(new ProtocolError('offline', 'The connection was lost before the reply came.'));
    }
    this.#requests.clear();
    if (this.#hello !== null) {
      this.#hello.reject(new ProtocolError('unreachable', 'The server cannot be reached. Is it running?'));
      this.#hello = null;
    }
    if (this.#signedIn && !this.#stopped) {
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect() {
    const delayMs = reconnectDelay(this.#attempt++);
    this.#handlers.onStatus('reconnecting', { delayMs, attempt: this.#attempt });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#reconnect(), delayMs);
  }

  async #reconnect() {
    try {
      const welcome = await this.#open(this.#handlers.resume());
      this.#handlers.onStatus('online', {});
      this.#handlers.onWelcome(welcome);
    } catch (e) {
      if (e instanceof ProtocolError && FINAL_HELLO_CODES.has(e.code)) {
        this.#stopped = true;
        this.#handlers.onStatus('signed-out', { reason: e.message });
      }
      // otherwise the close handler has scheduled the next attempt (a lingering old session
      // holding the name, or no server yet)
    }
  }

  #write(frame) {
    this.#socket?.send(JSON.stringify(frame));
  }
}
