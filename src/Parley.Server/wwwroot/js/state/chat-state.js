// Everything the page shows, in one place. Views read it and re-render on change; the app
// changes it from what the server says. No DOM here.

import { Conversation, PendingMessage } from './conversation.js';
import { nameKey } from './name-key.js';

export class ChatState {
  /** The signed-in name as the server spells it. */
  self = '';
  /** 'offline' | 'online' | 'reconnecting' | 'signed-out' */
  connection = 'offline';
  connectionDetail = {};
  /** @type {Map<string, Conversation>} by nameKey */
  conversations = new Map();
  /** nameKey of the conversation on screen */
  activeKey = null;
  #listeners = new Set();

  /** Calls `listener(change)` after every change; change.kind says what changed. */
  subscribe(listener) {
    this.#listeners.add(listener);
  }

  notify(kind, detail = {}) {
    for (const listener of this.#listeners) {
      listener({ kind, ...detail });
    }
  }

  get active() {
    return this.activeKey === null ? null : this.conversations.get(this.activeKey) ?? null;
  }

  isSelf(name) {
    return nameKey(name) === nameKey(this.self);
  }

  conversation(name) {
    return this.conversations.get(nameKey(name)) ?? null;
  }

  /** The conversation of that name, created if new. */
  ensureConversation(name) {
    const key = nameKey(name);
    let conversation = this.conversations.get(key);
    if (conversation === undefined) {
      conversation = new Conversation(name, name.startsWith('#') ? 'room' : 'dm');
      this.conversations.set(key, conversation);
      this.notify('conversations');
    }
    return conversation;
  }

  removeConversation(name) {
    const key = nameKey(name);
    this.conversations.delete(key);
    if (this.activeKey === key) {
      const first = this.conversations.keys().next();
      this.activeKey = first.done ? null : first.value;
    }
    this.notify('conversations');
    this.notify('active');
  }

  setActive(name) {
    const conversation = this.ensureConversation(name);
    this.activeKey = nameKey(name);
    conversation.unread = 0;
    this.notify('active');
    this.notify('conversations');
  }

  setConnection(status, detail) {
    this.connection = status;
    this.connectionDetail = detail;
    this.notify('connection');
  }

  /** Where a message belongs: its room, or for a direct message the other person. */
  conversationNameOf(message) {
    if (message.to.startsWith('#')) {
      return message.to;
    }
    return this.isSelf(message.from) ? message.to : message.from;
  }

  /**
   * A message the server sent live or replayed on resume. One already seen (seq at or below the
   * last seen, or already loaded) is dropped: nothing is shown twice. A live direct message below
   * what was seen is from a new person under that name: the conversation starts again.
   */
  receiveMessage(frame) {
    const conversation = this.ensureConversation(this.conversationNameOf(frame));
    if (this.#startedAgain(conversation, frame)) {
      this.#startAgain(conversation);
    }
    if (frame.seq <= conversation.lastSeen || conversation.messages.has(frame.seq)) {
      return;
    }
    conversation.lastSeen = frame.seq;
    conversation.messages.set(frame.seq, this.#stored(frame));
    if (!this.isSelf(frame.from) && conversation !== this.active) {
      conversation.unread += 1;
      this.notify('conversations');
    }
    this.notify('messages', { conversation });
  }

  /**
   * A page of history: `part` is 'latest' (the newest page of a conversation just opened),
   * 'older' (scrolled up to) or 'gap' (filling in after a long absence). Returns how many were new.
   */
  receiveHistory(name, frame, part) {
    const conversation = this.ensureConversation(name);
    let added = 0;
    for (const message of frame.messages) {
      if (!conversation.messages.has(message.seq)) {
        conversation.messages.set(message.seq, this.#stored(message));
        added += 1;
      }
    }
    if (part !== 'gap') {
      conversation.hasOlder = frame.more;
    }
    if (part === 'latest') {
      // a live copy of any of these that is still on its way is a duplicate
      for (const message of frame.messages) {
        conversation.lastSeen = Math.max(conversation.lastSeen, message.seq);
      }
    }
    this.notify('messages', { conversation, older: part === 'older' });
    return added;
  }

  /** A send made by this page, shown as pending until its ack. */
  addPending(name, id, text) {
    const conversation = this.ensureConversation(name);
    conversation.pending.set(id, new PendingMessage(id, text, this.self));
    this.notify('messages', { conversation, own: true });
  }

  /** The ack came: the message takes its place by seq, with the server's time. */
  markDelivered(name, id, ack) {
    const conversation = this.ensureConversation(name);
    const pending = conversation.pending.get(id);
    if (pending === undefined) {
      return;
    }
    conversation.pending.delete(id);
    if (!conversation.messages.has(ack.seq)) {
      conversation.messages.set(ack.seq, { seq: ack.seq, from: this.self, text: pending.text, ts: new Date(ack.ts), own: true });
    }
    conversation.messages.get(ack.seq).deliveredAt = new Date(ack.ts);
    this.notify('messages', { conversation });
  }

  /** The server refused the send: kept on screen with the reason, to retry or leave. */
  markFailed(name, id, error) {
    const pending = this.conversation(name)?.pending.get(id);
    if (pending === undefined) {
      return;
    }
    pending.state = 'failed';
    pending.error = error;
    this.notify('messages', { conversation: this.conversation(name) });
  }

  /** Takes a refused message off the list (to send its text again). */
  removePending(name, id) {
    const conversation = this.conversation(name);
    const pending = conversation?.pending.get(id);
    conversation?.pending.delete(id);
    return pending;
  }

  setMembers(room, users) {
    const conversation = this.ensureConversation(room);
    conversation.members = new Set(users);
    this.notify('members');
  }

  /** A join, leave or quit in a room. */
  receivePresence(frame) {
    const conversation = this.conversation(frame.room);
    if (conversation === null) {
      return;
    }
    if (frame.event === 'join') {
      conversation.members.add(frame.user);
    } else {
      for (const member of conversation.members) {
        if (nameKey(member) === nameKey(frame.user)) {
          conversation.members.delete(member);
        }
      }
    }
    this.notify('members');
  }

  /** Whether a person is online in any room this page sees. */
  isOnline(name) {
    const key = nameKey(name);
    if (key === nameKey(this.self)) {
      return this.connection === 'online';
    }
    for (const conversation of this.conversations.values()) {
      for (const member of conversation.members) {
        if (nameKey(member) === key) {
          return true;
        }
      }
    }
    return false;
  }

  /** For `hello.resume`: every conversation with the last seq seen in it. */
  resumePoints() {
    const resume = {};
    for (const conversation of this.conversations.values()) {
      if (conversation.kind === 'room' || conversation.lastSeen > 0) {
        resume[conversation.name] = conversation.lastSeen;
      }
    }
    return resume;
  }

  /** Signed out: nothing of the person before is kept. */
  reset() {
    this.self = '';
    this.conversations.clear();
    this.activeKey = null;
    this.notify('conversations');
    this.notify('active');
    this.notify('members');
  }

  /** What a reload needs to come back to the same place (see saved-session.js). */
  snapshot() {
    return {
      active: this.active?.name ?? null,
      conversations: [...this.conversations.values()].map(c => ({ name: c.name, lastSeen: c.lastSeen, unread: c.unread })),
    };
  }

  /** The conversations an earlier page load kept: none of their messages, but where to resume each and what is unread. */
  restore({ user, active, conversations }) {
    this.self = user;
    for (const saved of conversations) {
      const conversation = this.ensureConversation(saved.name);
      conversation.lastSeen = saved.lastSeen;
      conversation.unread = saved.unread;
    }
    if (active !== null && this.conversation(active) !== null) {
      this.setActive(active);
    }
    this.notify('conversations');
  }

  /** A new identity (the server no longer knew this guest): the direct conversations of before were the earlier one's. */
  forgetDirect() {
    for (const conversation of [...this.conversations.values()]) {
      if (conversation.kind === 'dm') {
        this.removeConversation(conversation.name);
      }
    }
  }

  /**
   * A direct conversation `welcome.seqs` lists up to `upTo` that the resume does not bring up to date:
   * one not seen here, or (`afresh`) one seen further than the server has it, which is with a new person
   * under that name and starts again. What is not loaded up to `upTo` counts as unread until its
   * history says which messages were one's own (see discountUnread).
   */
  catchUpDirect(name, upTo, afresh) {
    const conversation = this.ensureConversation(name);
    if (afresh) {
      this.#startAgain(conversation);
    }
    const loaded = [...conversation.messages.keys()].filter(seq => seq <= upTo).length;
    conversation.lastSeen = Math.max(conversation.lastSeen, upTo);
    if (conversation !== this.active) {
      conversation.unread += Math.max(0, upTo - loaded);
    }
    this.notify('conversations');
    this.notify('messages', { conversation });
    return conversation;
  }

  /** Takes back unread counts that turned out to be one's own messages. */
  discountUnread(name, count) {
    const conversation = this.conversation(name);
    if (conversation === null || count === 0) {
      return;
    }
    conversation.unread = Math.max(0, conversation.unread - count);
    this.notify('conversations');
  }

  /**
   * Whether a live direct message belongs to a conversation that started again: the server numbers a
   * conversation with a new person under a name from 1, so a live message at or below what was seen,
   * which is not the loaded copy of itself, is from someone new.
   */
  #startedAgain(conversation, frame) {
    if (conversation.kind !== 'dm' || frame.resumed === true || frame.seq > conversation.lastSeen) {
      return false;
    }
    return conversation.messages.get(frame.seq)?.ts.getTime() !== new Date(frame.ts).getTime();
  }

  /** Nothing of the conversation before is this one's: its messages, resume point and count go. */
  #startAgain(conversation) {
    conversation.messages.clear();
    conversation.lastSeen = 0;
    conversation.hasOlder = true;
    conversation.unread = 0;
  }

  #stored(frame) {
    return { seq: frame.seq, from: frame.from, text: frame.text, ts: new Date(frame.ts), own: this.isSelf(frame.from) };
  }
}
