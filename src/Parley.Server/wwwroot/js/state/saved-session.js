// What the page keeps in localStorage to come back after a reload: who it is (the name and the
// identity token, never a password) and where it was (the conversations with their resume points
// and unread counts, and the one on screen). One origin, one signed-in person.

const KEY = 'parley.session';
const VERSION = 1;

/**
 * @typedef {{name: string, lastSeen: number, unread: number}} SavedConversation
 * @typedef {{user: string, token: string, account: boolean, active: string|null, conversations: SavedConversation[]}} Session
 */

export class SavedSession {
  #storage;

  /** @param {Storage|null} storage localStorage, or null where the browser refuses it */
  constructor(storage = SavedSession.#localStorage()) {
    this.#storage = storage;
  }

  /** The session kept by an earlier page load, or null when there is none (or it cannot be read). */
  load() {
    let session;
    try {
      session = JSON.parse(this.#storage?.getItem(KEY) ?? 'null');
    } catch {
      return null;
    }
    return isSession(session) ? session : null;
  }

  /** @param {Session} session */
  save(session) {
    try {
      this.#storage?.setItem(KEY, JSON.stringify({ version: VERSION, ...session }));
    } catch {
      // storage full or refused: the page works on, and a reload shows the sign-in page
    }
  }

  /** Forgets the session; with `token`, only if it is still that one (another tab may have signed in since). */
  clear(token = undefined) {
    if (token !== undefined && this.load()?.token !== token) {
      return;
    }
    try {
      this.#storage?.removeItem(KEY);
    } catch {
      // refused: there was nothing kept either
    }
  }

  static #localStorage() {
    try {
      return globalThis.localStorage ?? null;
    } catch {
      // a browser that refuses storage to this page throws on the mere access
      return null;
    }
  }
}

function isSession(value) {
  return value !== null && typeof value === 'object' && value.version === VERSION
    && typeof value.user === 'string' && value.user !== ''
    && typeof value.token === 'string' && value.token !== ''
    && typeof value.account === 'boolean'
    && (value.active === null || typeof value.active === 'string')
    && Array.isArray(value.conversations)
    && value.conversations.every(c => c !== null && typeof c === 'object' && typeof c.name === 'string' && c.name !== ''
      && isCount(c.lastSeen) && isCount(c.unread));
}

function isCount(value) {
  return Number.isSafeInteger(value) && value >= 0;
}
