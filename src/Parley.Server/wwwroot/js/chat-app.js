// The page's controller: turns what the user does into protocol requests and what the server
// says into state. Views render the state; the connection carries the frames.

import { ParleyConnection, ProtocolError } from './protocol/connection.js';
import { newFrameId } from './protocol/frame-ids.js';
import { ChatState } from './state/chat-state.js';
import { byId } from './views/dom.js';
import { SignInView } from './views/sign-in-view.js';
import { ConversationListView } from './views/conversation-list-view.js';
import { MessageListView } from './views/message-list-view.js';
import { MemberListView } from './views/member-list-view.js';
import { ComposerView } from './views/composer-view.js';
import { ConnectionBannerView } from './views/connection-banner-view.js';
import { NarrowLayout } from './views/narrow-layout.js';
import { NoticeView } from './views/notice-view.js';

const HISTORY_PAGE = 50;

const NEW_GUEST_NOTICE = 'You were signed out: the server no longer knew this session. You are a new guest; '
  + 'earlier direct messages are not yours any more. Register to keep them.';

export class ChatApp {
  state = new ChatState();
  #connection;
  #signIn;
  #composer;
  #layout;
  #notice;

  constructor(url = ParleyConnection.defaultUrl()) {
    this.#connection = new ParleyConnection(url, {
      onFrame: frame => this.#receive(frame),
      onStatus: (status, detail) => this.#status(status, detail),
      onWelcome: (welcome, how) => this.#welcomedBack(welcome, how),
      resume: () => this.state.resumePoints(),
    });
    this.#signIn = new SignInView((user, password) => this.signIn(user, password));
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
    new ConnectionBannerView(this.state, { takeBack: () => this.#connection.takeBack() });
    this.#composer = new ComposerView(this.state, text => this.send(text));
    this.#layout = new NarrowLayout();
    this.#notice = new NoticeView();
    byId('leave-room').addEventListener('click', () => this.leaveActiveRoom().catch(error => {
      // a refusal (or no connection): the room stays, and the reason is shown where the room was joined
      byId('join-room-error').textContent = error.message;
    }));
    this.state.subscribe(change => {
      if (change.kind === 'active') {
        byId('leave-room').hidden = this.state.active?.kind !== 'room';
      }
    });
  }

  async signIn(user, password) {
    const welcome = await this.#connection.signIn(user, password);
    this.state.self = welcome.user;
    byId('self-name').textContent = welcome.user;
    this.#signIn.hide();
    byId('chat').hidden = false;
    this.#enterRooms(welcome);
    if (welcome.rooms.length > 0) {
      this.open(welcome.rooms[0]);
    }
    this.#composer.focus();
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

  async #loadLatest(name) {
    try {
      const history = await this.#connection.request({ type: 'history', to: name, limit: HISTORY_PAGE });
      this.state.receiveHistory(name, history, 'latest');
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
   * Back after a drop: the resume replay follows; members may have changed meanwhile. A new identity
   * (the server no longer knew this guest) has none of the direct conversations of before, and is told so.
   */
  #welcomedBack(welcome, { newIdentity }) {
    if (newIdentity) {
      this.state.forgetDirect();
      this.#notice.show(NEW_GUEST_NOTICE);
    }
    const resumedFrom = new Map([...this.state.conversations.values()].map(c => [c, c.lastSeen]));
    this.#enterRooms(welcome);
    this.#fillGaps(welcome, resumedFrom);
  }

  /**
   * The replay carries at most 1,000 messages per conversation. Once it is over (the reply to a
   * ping comes after it), whatever a room still lacks up to `welcome.seqs` is fetched as history.
   */
  async #fillGaps(welcome, resumedFrom) {
    try {
      await this.#connection.request({ type: 'ping' });
      for (const [conversation, from] of resumedFrom) {
        const upTo = welcome.seqs?.[conversation.name];
        if (conversation.kind !== 'room' || upTo === undefined) {
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
      this.#signIn.show(detail.reason);
    }
  }

  #receive(frame) {
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
