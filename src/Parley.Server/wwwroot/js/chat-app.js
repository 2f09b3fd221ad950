// The page's controller: turns what the user does into protocol requests and what the server
// says into state. Views render the state; the connection carries the frames. Who is signed in
// (the name and the identity token) and where they were are kept in localStorage, so that a reload
// signs in again with the token and resumes what it missed.

import { ParleyConnection, ProtocolError } from './protocol/connection.js';
import { newFrameId } from './protocol/frame-ids.js';
import { ChatState } from './state/chat-state.js';
import { SavedSession } from './state/saved-session.js';
import { byId } from './views/dom.js';
import { SignInView } from './views/sign-in-view.js';
import { ConversationListView } from './views/conversation-list-view.js';
import { MessageListView } from './views/message-list-view.js';
import { MemberListView } from './views/member-list-view.js';
import { ComposerView } from './views/composer-view.js';
import { ConnectionBannerView } from './views/connection-banner-view.js';
import { NarrowLayout } from './views/narrow-layout.js';
import { NoticeView } from './views/notice-view.js';
import { ProtectNameView } from './views/protect-name-view.js';

const HISTORY_PAGE = 50;
/** Changes come in bursts (a resume replays up to 1,000 messages): the storage is written once after them. */
const SAVE_DELAY_MS = 250;

const NEW_GUEST_NOTICE = 'You were signed out: the server no longer knew this session. You are a new guest; '
  + 'earlier direct messages are not yours any more. Register to keep them.';

export class ChatApp {
  state = new ChatState();
  #connection;
  #signIn;
  #composer;
  #layout;
  #notice;
  #protect;
  #saved = new SavedSession();
  /** Whether the chat is on screen for someone signed in: only then is what happens theirs to keep. */
  #entered = false;
  /** The token this page last kept: a newer one another tab kept is not this page's to forget. */
  #savedToken = null;
  #saveTimer = 0;

  constructor(url = ParleyConnection.defaultUrl()) {
    this.#connection = new ParleyConnection(url, {
      onFrame: frame => this.#receive(frame),
      onStatus: (status, detail) => this.#status(status, detail),
      onWelcome: (welcome, how) => this.#welcomed(welcome, how),
      resume: () => this.state.resumePoints(),
    });
    this.#signIn = new SignInView({
      signIn: (user, password) => this.signIn(user, password),
      createAccount: (user, password) => this.createAccount(user, password),
    });
    new ConversationListView(this.state, {
      open: name => this.open(name),
      joinRoom: room => this.joinRoom(room),
      startDirect: name => this.startDirect(name),
    });
    new MessageListView(this.state, {
      loadOlder: conversation => this.loadOlder(conversation),
      retry: (conversation, message) => this.retry(conversation, message),
    });
    new MemberListView(this.state);
    new ConnectionBannerView(this.state, { takeBack: () => this.takeBack() });
    this.#composer = new ComposerView(this.state, text => this.send(text));
    this.#layout = new NarrowLayout();
    this.#notice = new NoticeView();
    this.#protect = new ProtectNameView(password => this.protectName(password));
    byId('sign-out').addEventListener('click', () => this.signOut());
    byId('leave-room').addEventListener('click', () => this.leaveActiveRoom().catch(error => {
      // a refusal (or no connection): the room stays, and the reason is shown where the room was joined
      byId('join-room-error').textContent = error.message;
    }));
    this.state.subscribe(change => {
      if (change.kind === 'active') {
        byId('leave-room').hidden = this.state.active?.kind !== 'room';
      }
      if (change.kind === 'conversations' || change.kind === 'messages' || change.kind === 'active') {
        this.#scheduleSave();
      }
    });
    // a reload or a closed tab: what the last changes left unsaved
    addEventListener('pagehide', () => this.#save());
    this.#restore();
  }

  /** Signs in from the sign-in page, with a password for a registered name. */
  async signIn(user, password) {
    const welcome = await this.#connection.signIn(user, password);
    this.#enter(welcome);
  }

  /**
   * Creates an account: a guest's `hello` with the name, then `register`. When `register` is refused
   * the guest says `quit`, which frees the name, and the reason is shown.
   */
  async createAccount(user, password) {
    const welcome = await this.#connection.signIn(user);
    try {
      await this.#connection.register(password);
    } catch (error) {
      await this.#connection.quit();
      throw error;
    }
    this.#enter(welcome);
  }

  /** A guest's name becomes an account; its new token is the one kept from now on. */
  async protectName(password) {
    await this.#connection.register(password);
    this.#save();
    this.#protect.setGuest(false);
    this.#notice.hide();
  }

  /** `logout` (revokes the token), then `quit`; this page forgets everything it kept, even when offline. */
  async signOut() {
    const button = byId('sign-out');
    button.disabled = true;
    try {
      await this.#connection.signOut();
    } catch {
      // offline: the server cannot be told, but this page keeps nothing that signs in again
    } finally {
      button.disabled = false;
    }
    this.#leave();
    this.#signIn.show();
  }

  /** After another tab or device signed in as this person: signs in here again, taking the session back. */
  takeBack() {
    // another tab of this browser may have kept a newer token (it registered, say)
    this.#connection.takeBack(this.#saved.load() ?? undefined);
  }

  open(name) {
    this.state.setActive(name);
    this.#layout.closePanels();
  }

  async joinRoom(room) {
    const joined = await this.#connection.request({ type: 'join', room });
    const conversation = this.state.ensureConversation(joined.room);
    conversation.lastSeen = Math.max(conversation.lastSeen, joined.seq ?? 0);
    this.state.setMembers(joined.room, joined.users);
    this.open(joined.room);
    await this.#loadLatest(joined.room);
  }

  async leaveActiveRoom() {
    const conversation = this.state.active;
    if (conversation?.kind !== 'room') {
      return;
    }
    await this.#connection.request({ type: 'leave', room: conversation.name });
    this.state.removeConversation(conversation.name);
  }

  /** Opens a direct conversation; refused (with the server's reason) for a name nobody has. */
  async startDirect(name) {
    if (name.startsWith('#')) {
      throw new ProtocolError('invalid_field', 'That is a room: use "Join or create a room".');
    }
    const history = await this.#connection.request({ type: 'history', to: name, limit: HISTORY_PAGE });
    this.state.receiveHistory(history.to, history, 'latest');
    this.open(history.to);
  }

  send(text) {
    const conversation = this.state.active;
    if (conversation === null) {
      return;
    }
    this.#send(conversation.name, text);
  }

  retry(conversation, message) {
    this.state.removePending(conversation.name, message.id);
    this.#send(conversation.name, message.text);
  }

  async loadOlder(conversation) {
    const before = conversation.oldestSeq() ?? conversation.lastSeen + 1;
    if (before <= 1) {
      conversation.hasOlder = false;
      this.state.notify('messages', { conversation });
      return;
    }
    conversation.loadingOlder = true;
    try {
      const history = await this.#connection.request({ type: 'history', to: conversation.name, before, limit: HISTORY_PAGE });
      this.state.receiveHistory(conversation.name, history, 'older');
    } catch {
      // offline or refused: the next scroll tries again
    } finally {
      conversation.loadingOlder = false;
    }
  }

  #send(name, text) {
    // a new id per attempt: a refused send was not stored, a retry is a new message
    const id = newFrameId('m');
    this.state.addPending(name, id, text);
    this.#connection.send(id, name, text).then(
      ack => this.state.markDelivered(name, id, ack),
      error => this.state.markFailed(name, id, error));
  }

  /** The chat of someone just signed in on the sign-in page: nothing of before is theirs. */
  #enter(welcome) {
    this.state.reset();
    this.#showChat(welcome.user);
    this.#welcomed(welcome, { newIdentity: false });
    this.#composer.focus();
  }

  /** A reload: the chat as it was, at once, while the kept token signs in again (through #welcomed). */
  #restore() {
    const saved = this.#saved.load();
    if (saved === null) {
      return;
    }
    this.state.restore(saved);
    this.#savedToken = saved.token;
    this.#showChat(saved.user);
    this.#protect.setGuest(!saved.account);
    this.#connection.restore(saved);
  }

  #showChat(user) {
    this.#entered = true;
    this.state.self = user;
    byId('self-name').textContent = user;
    this.#signIn.hide();
    byId('chat').hidden = false;
  }

  /** Nothing of the person signed out stays on the page, nor in its storage (with `token`: if it is still theirs). */
  #leave(token = undefined) {
    this.#entered = false;
    clearTimeout(this.#saveTimer);
    this.#saveTimer = 0;
    this.#saved.clear(token);
    this.#savedToken = null;
    this.state.reset();
    this.#notice.hide();
  }

  /**
   * Every welcome: of a sign-in, a reconnect or a reload. A new identity (the server no longer knew
   * this guest) has none of the direct conversations of before, and is told so.
   */
  #welcomed(welcome, { newIdentity }) {
    if (newIdentity) {
      this.state.forgetDirect();
      this.#notice.show(NEW_GUEST_NOTICE);
    }
    this.state.self = welcome.user;
    byId('self-name').textContent = welcome.user;
    this.#protect.setGuest(!this.#connection.account);
    // what each conversation was resumed from: rooms always are, direct ones once seen (resumePoints)
    const resumedFrom = new Map([...this.state.conversations.values()]
      .filter(c => c.kind === 'room' || c.lastSeen > 0)
      .map(c => [c, c.lastSeen]));
    this.#enterRooms(welcome);
    const caughtUp = this.#enterDirect(welcome);
    this.#fillGaps(welcome, resumedFrom);
    const active = this.state.active;
    if (active === null && welcome.rooms.length > 0) {
      this.open(welcome.rooms[0]);
    } else if (active !== null && active.messages.size === 0 && resumedFrom.has(active) && !caughtUp.has(active)) {
      // the conversation on screen after a reload: what came before its resume point
      this.loadOlder(active);
    }
    this.#save();
  }

  /**
   * The rooms `welcome` lists. A room new to the page starts at `seqs` (history shows what came
   * before); a room the page already had keeps its own last seq, since the replay that follows
   * `welcome` brings what came after it.
   */
  #enterRooms(welcome) {
    for (const room of welcome.rooms) {
      const known = this.state.conversation(room) !== null;
      this.state.ensureConversation(room);
      this.#refreshMembers(room);
      if (!known) {
        this.state.conversation(room).lastSeen = welcome.seqs?.[room] ?? 0;
        this.#loadLatest(room);
      }
    }
  }

  /**
   * The direct conversations `welcome.seqs` lists beside the rooms, by the other party's name, with
   * their newest seq. One resumed from a seq the server has reached is brought up to date by the
   * replay. One not resumed (new here, or never seen past its start) shows at once with what it has
   * unread; one seen here further than the server has it is with a new person under that name, and
   * starts again. One the welcome does not list is with a guest that is gone (or someone new who has
   * not written): it is no longer this person's. Returns the conversations whose newest page is on its way.
   */
  #enterDirect(welcome) {
    const listed = new Set();
    const caughtUp = new Set();
    for (const [name, upTo] of Object.entries(welcome.seqs ?? {})) {
      if (name.startsWith('#')) {
        continue;
      }
      const known = this.state.conversation(name);
      if (known !== null && known.lastSeen > 0 && upTo >= known.lastSeen) {
        listed.add(known);
        continue;
      }
      const conversation = this.state.catchUpDirect(name, upTo, known !== null && known.lastSeen > upTo);
      listed.add(conversation);
      caughtUp.add(conversation);
      this.#loadLatest(name, upTo);
    }
    for (const conversation of [...this.state.conversations.values()]) {
      if (conversation.kind === 'dm' && conversation.lastSeen > 0 && !listed.has(conversation)) {
        this.state.removeConversation(conversation.name);
      }
    }
    return caughtUp;
  }

  /**
   * The newest page of a conversation. Messages up to `unreadUpTo` were counted unread before it came
   * (see ChatState.catchUpDirect): those that turn out to be one's own are not.
   */
  async #loadLatest(name, unreadUpTo = 0) {
    try {
      const loaded = new Set(this.state.conversation(name)?.messages.keys() ?? []);
      const history = await this.#connection.request({ type: 'history', to: name, limit: HISTORY_PAGE });
      this.state.receiveHistory(name, history, 'latest');
      const own = history.messages.filter(m => m.seq <= unreadUpTo && !loaded.has(m.seq) && this.state.isSelf(m.from));
      this.state.discountUnread(name, own.length);
    } catch {
      // offline: resume brings what is missed, scrolling up loads the rest
    }
  }

  async #refreshMembers(room) {
    try {
      const who = await this.#connection.request({ type: 'who', room });
      this.state.setMembers(room, who.users);
    } catch {
      // offline: refreshed on the next welcome
    }
  }

  /**
   * The replay carries at most 1,000 messages per conversation. Once it is over (the reply to a
   * ping comes after it), whatever a conversation still lacks up to `welcome.seqs` is fetched as history.
   */
  async #fillGaps(welcome, resumedFrom) {
    try {
      await this.#connection.request({ type: 'ping' });
      for (const [conversation, from] of resumedFrom) {
        const upTo = welcome.seqs?.[conversation.name];
        if (upTo === undefined) {
          continue;
        }
        let before = upTo + 1;
        while (this.#missing(conversation, from, before)) {
          const page = await this.#connection.request({ type: 'history', to: conversation.name, before, after: from, limit: HISTORY_PAGE });
          this.state.receiveHistory(conversation.name, page, 'gap');
          if (page.messages.length === 0) {
            break;
          }
          before = page.messages[0].seq;
        }
        // the next resume starts after what is now loaded
        conversation.lastSeen = Math.max(conversation.lastSeen, upTo);
      }
    } catch {
      // offline again: the next welcome tries again
    }
  }

  /** Whether a message between `from` and `before` (both excluded) is not loaded. */
  #missing(conversation, from, before) {
    for (let seq = before - 1; seq > from; seq--) {
      if (!conversation.messages.has(seq)) {
        return true;
      }
    }
    return false;
  }

  #status(status, detail) {
    this.state.setConnection(status, detail);
    if (status === 'signed-out') {
      // an account whose token was refused, or a guest's name taken meanwhile: the user signs in anew
      this.#leave(this.#savedToken);
      this.#signIn.show(detail.reason, detail.user);
    }
  }

  #scheduleSave() {
    if (!this.#entered || this.#saveTimer !== 0) {
      return;
    }
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = 0;
      this.#save();
    }, SAVE_DELAY_MS);
  }

  /**
   * Keeps who this is and where they were, for the next page load. Not while another tab or device
   * has the session: what that one keeps is newer.
   */
  #save() {
    const token = this.#connection.token;
    if (!this.#entered || token === null || this.state.connection === 'taken-over') {
      return;
    }
    this.#saved.save({ user: this.state.self, token, account: this.#connection.account, ...this.state.snapshot() });
    this.#savedToken = token;
  }

  #receive(frame) {
    if (!this.#entered) {
      // not in the chat: signed out, or between a guest's welcome and its register while creating an account
      return;
    }
    switch (frame.type) {
      case 'message':
        this.state.receiveMessage(frame);
        break;
      case 'presence':
        this.state.receivePresence(frame);
        break;
      default:
        // errors without an id (server_shutdown, slow_consumer) end the connection: the banner says so
        break;
    }
  }
}
