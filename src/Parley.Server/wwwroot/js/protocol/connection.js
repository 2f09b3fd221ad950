// Protocol v1.1 over the server's WebSocket (docs/protocol.md): one connection that outlives drops.
// It signs in, answers requests by id, keeps every send until its ack or refusal, reconnects with
// backoff, resumes what was missed (the state says from where) and resends what was not
// acknowledged, with the original ids, so the server stores each message once. It keeps the
// identity token of the last `welcome` or `registered` and reconnects with it, never with a
// password (which it forgets once welcomed), so a guest keeps its name and its conversations.

import { newFrameId } from './frame-ids.js';
import { reconnectDelay } from './backoff.js';

const PING_INTERVAL_MS = 30000;
/** A server that accepts the socket but does not answer `hello` in this time is treated as down. */
const HELLO_TIMEOUT_MS = 15000;
/** How long `quit` waits for the server to close the connection before closing it from this end. */
const QUIT_TIMEOUT_MS = 5000;

/** Codes that mean "this name cannot sign in", as opposed to a passing network problem. */
const FINAL_HELLO_CODES = new Set(['invalid_username', 'auth_failed']);

/** Why a send was dropped when the server no longer knew this guest: its direct messages are someone else's now. */
const NEW_IDENTITY_REFUSAL = 'You are a new guest now; this conversation was the earlier guest\'s.';

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
  /** Only until the welcome of the sign-in it was typed for: reconnects use the token. */
  #password = '';
  /** The identity token of the last welcome or registered; null before the first. */
  #token = null;
  /** Whether the identity is an account (whose refused token needs its password, which only the user has). */
  #account = false;
  #signedIn = false;
  #stopped = false;
  /** A newer sign-in of this identity (another tab or device) took the name: no reconnect until told. */
  #takenOver = false;
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
   *   'offline' (after quit), 'reconnecting' ({delayMs}), 'taken-over' ({reason}: signed in from
   *   another tab or device; see takeBack) or 'signed-out' ({reason, user}: this name cannot sign in
   *   without the user); onWelcome(welcome, {newIdentity}) after a reconnect or a restore, where
   *   newIdentity says the server no longer knew this guest and signed it in as a new one;
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

  /** The name signed in (or being signed in) as. */
  get user() {
    return this.#user;
  }

  /** The identity token to keep for the next page load; null when there is none. */
  get token() {
    return this.#token;
  }

  /** Whether the identity is an account, as far as this page knows (signed in with a password, or registered here). */
  get account() {
    return this.#account;
  }

  /**
   * Signs in with a name, and a password for a registered name; resolves with `welcome`, rejects with
   * a ProtocolError (code 'unreachable' when no server answers).
   */
  signIn(user, password = '') {
    this.#user = user;
    this.#password = password;
    this.#token = null;
    // a password given for a name with no account is ignored by the server: then this is a guest
    // taken for an account, whose refused token sends it to the sign-in page instead of a new guest
    this.#account = password !== '';
    this.#stopped = false;
    this.#takenOver = false;
    return this.#open(undefined).then(({ welcome }) => {
      this.#signedIn = true;
      this.#handlers.onStatus('online', {});
      return welcome;
    });
  }

  /**
   * Signs in again with an identity kept from an earlier page load, as a reconnect does: the welcome
   * comes through onWelcome, a refusal through onStatus, and a server not there yet is tried again.
   */
  restore({ user, token, account }) {
    this.#user = user;
    this.#password = '';
    this.#token = token;
    this.#account = account;
    this.#signedIn = true;
    this.#stopped = false;
    this.#takenOver = false;
    this.#attempt = 0;
    this.#reconnect();
  }

  /**
   * After a takeover: signs in here again with the token, which takes the name back from the other
   * tab or device. `identity` (optional) is a newer token for the same name, kept by another tab.
   */
  takeBack(identity) {
    if (!this.#takenOver) {
      return;
    }
    if (identity?.user === this.#user && identity.token) {
      this.#token = identity.token;
      this.#account = identity.account;
    }
    this.#takenOver = false;
    this.#attempt = 0;
    clearTimeout(this.#retryTimer);
    this.#reconnect();
  }

  /**
   * Turns this guest's name into an account; resolves with `registered`, whose token (the account's)
   * replaces the guest's, which is dead from then on. Rejects with the refusal (weak_password, ...).
   */
  async register(password) {
    const registered = await this.request({ type: 'register', password });
    this.#token = registered.token ?? this.#token;
    this.#account = true;
    return registered;
  }

  /**
   * Signs out: `logout` revokes this session's token (waiting for its `ok`), then `quit` ends the
   * connection and, for a guest, its identity. Rejects when the server could not be told (offline);
   * the connection is closed and its token forgotten all the same.
   */
  async signOut() {
    try {
      await this.request({ type: 'logout' });
    } finally {
      await this.quit();
    }
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

  /**
   * Says `quit` and stays disconnected; what was not sent is refused, and the identity is forgotten.
   * Resolves once the server has closed the connection, which it does after ending the session: a
   * guest's name is free by then.
   */
  quit() {
    const socket = this.#socket;
    const open = this.#isOpen();
    if (open) {
      this.#write({ type: 'quit' });
    }
    this.#stop();
    this.#handlers.onStatus('offline', {});
    if (socket === null) {
      return Promise.resolve();
    }
    if (!open) {
      socket.close();
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        socket.close();
        resolve();
      }, QUIT_TIMEOUT_MS);
      socket.addEventListener('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** No more reconnects; waiting sends are refused, so that none goes out under a later sign-in. */
  #stop() {
    this.#stopped = true;
    this.#signedIn = false;
    this.#takenOver = false;
    this.#token = null;
    this.#password = '';
    clearTimeout(this.#retryTimer);
    const unsent = [...this.#outbox.values()];
    this.#outbox.clear();
    for (const send of unsent) {
      send.reject(new ProtocolError('signed_out', 'You signed out before it was sent.'));
    }
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
        resolve: result => { clearTimeout(timer); resolve(result); },
        reject: error => { clearTimeout(timer); reject(error); },
        withToken: this.#token !== null,
        resume,
        newIdentity: false,
      };
      socket.addEventListener('open', () => this.#sayHello(socket));
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
    if (frame.type === 'error' && frame.code === 'username_taken' && frame.id === undefined) {
      // a newer sign-in of this identity took the name; the server closes this connection. Coming
      // back by itself would take the name from the other tab, which would take it back, and so on.
      this.#takenOver = true;
      this.#handlers.onStatus('taken-over', { reason: frame.message });
      return;
    }
    this.#handlers.onFrame(frame);
  }

  /** `hello` with the token once there is one, else the password typed for this sign-in. */
  #sayHello(socket) {
    const { withToken, resume } = this.#hello;
    const hello = { type: 'hello', user: this.#user, client: 'parley-web/0.1' };
    if (withToken) {
      hello.token = this.#token;
    } else if (this.#password) {
      hello.password = this.#password;
    }
    if (resume && Object.keys(resume).length > 0) {
      hello.resume = resume;
    }
    socket.send(JSON.stringify(hello));
  }

  #answerHello(socket, frame) {
    const hello = this.#hello;
    if (frame.type === 'welcome') {
      this.#hello = null;
      this.#attempt = 0;
      this.#token = frame.token ?? this.#token;
      this.#password = '';
      this.#pingTimer = setInterval(() => this.#write({ type: 'ping' }), PING_INTERVAL_MS);
      hello.resolve({ welcome: frame, newIdentity: hello.newIdentity });
      // what was never acknowledged goes again, in order, with its original id
      for (const { frame: send } of this.#outbox.values()) {
        this.#write(send);
      }
    } else if (frame.type === 'error' && frame.code === 'auth_failed' && hello.withToken && !this.#account) {
      // the server no longer knows this guest (it restarted, or the guest was away too long): sign
      // in as a new guest under the same name, on the same connection (a refused hello leaves it open)
      this.#forgetIdentity(hello);
      this.#sayHello(socket);
    } else if (frame.type === 'error') {
      this.#hello = null;
      const error = new ProtocolError(frame.code, frame.message);
      // the name of a guest that is gone, taken meanwhile by someone else, will not come free by waiting
      error.final = hello.newIdentity;
      hello.reject(error);
      socket.close();
    }
    // anything else before welcome is not for us
  }

  /**
   * A new guest has none of the earlier one's direct conversations: nothing of them is resumed, and
   * what was waiting to go to one is not sent under the new identity. Rooms belong to nobody: they stay.
   */
  #forgetIdentity(hello) {
    this.#token = null;
    hello.withToken = false;
    hello.newIdentity = true;
    hello.resume = Object.fromEntries(Object.entries(hello.resume ?? {}).filter(([name]) => name.startsWith('#')));
    for (const [id, send] of [...this.#outbox]) {
      if (!send.frame.to.startsWith('#')) {
        this.#outbox.delete(id);
        send.reject(new ProtocolError('new_identity', NEW_IDENTITY_REFUSAL));
      }
    }
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
    if (this.#signedIn && !this.#stopped && !this.#takenOver) {
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
      const { welcome, newIdentity } = await this.#open(this.#handlers.resume());
      if (newIdentity) {
        this.#account = false;
      }
      this.#handlers.onStatus('online', {});
      this.#handlers.onWelcome(welcome, { newIdentity });
    } catch (e) {
      if (e instanceof ProtocolError && (FINAL_HELLO_CODES.has(e.code) || e.final)) {
        // an account whose token was refused needs its password, which only the user has
        const user = this.#user;
        this.#stop();
        this.#handlers.onStatus('signed-out', { reason: e.message, user });
      }
      // otherwise the close handler has scheduled the next attempt (no server yet, or, without a
      // token, a lingering old session holding the name)
    }
  }

  #write(frame) {
    this.#socket?.send(JSON.stringify(frame));
  }
}
