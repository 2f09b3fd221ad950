// One conversation as the page knows it: a room or a direct conversation with one person.
// Messages are kept by seq, so whatever way a message arrives (live, resumed, history, or as
// the ack of one's own send) it is shown once.

/** A message of one's own not yet acknowledged, or refused. */
export class PendingMessage {
  constructor(id, text, from) {
    this.id = id;
    this.text = text;
    this.from = from;
    this.createdAt = new Date();
    this.state = 'pending';
    this.error = null;
  }
}

export class Conversation {
  /**
   * @param {string} name as the server shows it (`#room` or a user's name)
   * @param {'room'|'dm'} kind
   */
  constructor(name, kind) {
    this.name = name;
    this.kind = kind;
    /** @type {Map<number, object>} seq → {seq, from, text, ts, own, deliveredAt} */
    this.messages = new Map();
    /** @type {Map<string, PendingMessage>} send id → message, in order of sending */
    this.pending = new Map();
    /** The highest seq received live or resumed; where a resume starts. */
    this.lastSeen = 0;
    this.unread = 0;
    /** Older messages exist on the server that are not loaded. */
    this.hasOlder = true;
    this.loadingOlder = false;
    /** @type {Set<string>} members online (rooms) */
    this.members = new Set();
  }

  /** The lowest seq loaded, or null when none is. */
  oldestSeq() {
    let oldest = null;
    for (const seq of this.messages.keys()) {
      if (oldest === null || seq < oldest) {
        oldest = seq;
      }
    }
    return oldest;
  }

  /** Every message to show, oldest first: delivered ones by seq, then those still pending. */
  timeline() {
    const delivered = [...this.messages.values()].sort((a, b) => a.seq - b.seq);
    return [...delivered, ...this.pending.values()];
  }
}
