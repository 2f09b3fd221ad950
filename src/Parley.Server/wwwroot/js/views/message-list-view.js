// The middle column: the conversation's messages, grouped by sender, with local times and a
// separator for each day; one's own show pending, delivered (with the server's time) or refused
// (with the reason and a retry). Scrolling to the top asks for earlier history. Every name and text
// is isolated (<bdi>, dir="auto"): a right-to-left override in one cannot reorder what is around it.

import { byId, el } from './dom.js';
import { dayKey, formatDay, formatFull, formatTime, formatTimeWithSeconds } from './time-format.js';
import { messageTextNodes } from './message-text.js';

/** Messages from one sender this close together share one header. */
const GROUP_GAP_MS = 5 * 60 * 1000;
/** How near the top a scroll must come to load earlier history. */
const LOAD_OLDER_PX = 80;

export class MessageListView {
  #state;
  #list = byId('messages');
  #title = byId('conversation-title');
  #actions;
  /** What the next frame's render must keep in view; null when none is scheduled. */
  #pending = null;

  /**
   * @param {import('../state/chat-state.js').ChatState} state
   * @param {{loadOlder: Function, retry: Function}} actions
   */
  constructor(state, actions) {
    this.#state = state;
    this.#actions = actions;
    state.subscribe(change => {
      if (change.kind === 'active') {
        this.#schedule({ toBottom: true });
      } else if (change.kind === 'messages' && change.conversation === state.active) {
        this.#schedule({ keepFromBottom: change.older === true, toBottom: change.own === true });
      }
    });
    this.#list.addEventListener('scroll', () => {
      if (this.#list.scrollTop < LOAD_OLDER_PX) {
        this.#loadOlder();
      }
    });
  }

  /** Renders once per frame however many messages came in it (a resume replays up to 1,000 at once). */
  #schedule({ toBottom = false, keepFromBottom = false }) {
    const first = this.#pending === null;
    this.#pending ??= { toBottom: false, keepFromBottom: false };
    this.#pending.toBottom ||= toBottom;
    this.#pending.keepFromBottom ||= keepFromBottom;
    if (first) {
      requestAnimationFrame(() => {
        const options = this.#pending;
        this.#pending = null;
        this.render(options);
      });
    }
  }

  /** Loads earlier history when the top is in view (also when the list is too short to scroll). */
  #loadOlder() {
    const conversation = this.#state.active;
    if (conversation !== null && conversation.hasOlder && !conversation.loadingOlder) {
      this.#actions.loadOlder(conversation);
    }
  }

  render({ toBottom = false, keepFromBottom = false } = {}) {
    const conversation = this.#state.active;
    this.#title.replaceChildren(...(conversation === null ? [] : [el('bdi', { text: conversation.name })]));
    const fromBottom = this.#list.scrollHeight - this.#list.scrollTop;
    const atBottom = fromBottom - this.#list.clientHeight < 40;
    this.#list.replaceChildren(...(conversation === null ? [] : this.#items(conversation)));
    if (keepFromBottom) {
      this.#list.scrollTop = this.#list.scrollHeight - fromBottom;
    } else if (toBottom || atBottom) {
      this.#list.scrollTop = this.#list.scrollHeight;
    }
    if (this.#list.scrollTop < LOAD_OLDER_PX) {
      queueMicrotask(() => this.#loadOlder());
    }
  }

  #items(conversation) {
    const items = [];
    if (conversation.hasOlder) {
      items.push(el('li', { class: 'history-note', text: conversation.loadingOlder ? 'Loading earlier messages…' : 'Scroll up for earlier messages' }));
    } else {
      items.push(el('li', { class: 'history-note' }, 'This is the beginning of ', el('bdi', { text: conversation.name }), '.'));
    }
    let day = null;
    let group = null;
    let previous = null;
    for (const message of conversation.timeline()) {
      const when = message.ts ?? message.createdAt;
      if (dayKey(when) !== day) {
        day = dayKey(when);
        items.push(el('li', { class: 'day-separator', role: 'separator', 'aria-label': formatDay(when) },
          el('span', { text: formatDay(when) })));
        group = null;
      }
      if (group === null || previous.from !== message.from || when - (previous.ts ?? previous.createdAt) > GROUP_GAP_MS) {
        group = el('div', { class: 'group-messages' });
        const own = this.#state.isSelf(message.from);
        items.push(el('li', { class: own ? 'group own' : 'group', dataset: { from: message.from } },
          el('div', { class: 'group-header' },
            el('bdi', { class: 'sender', text: message.from }),
            el('time', { class: 'group-time', datetime: when.toISOString(), text: formatTime(when) })),
          group));
      }
      group.append(this.#message(conversation, message, when));
      previous = message;
    }
    return items;
  }

  #message(conversation, message, when) {
    const own = this.#state.isSelf(message.from);
    const state = message.state ?? 'delivered';
    return el('div', {
      class: 'message',
      dataset: { seq: message.seq ?? null, state: own ? state : null, own: own ? 'true' : null },
    },
      el('p', { class: 'text', dir: 'auto' }, messageTextNodes(message.text)),
      el('div', { class: 'meta' },
        el('time', { class: 'msg-time', datetime: when.toISOString(), title: formatFull(when), text: formatTime(when) }),
        own ? this.#status(conversation, message, state) : null));
  }

  #status(conversation, message, state) {
    if (state === 'pending') {
      return el('span', { class: 'msg-status', role: 'status', text: 'Sending…' });
    }
    if (state === 'failed') {
      return el('span', { class: 'msg-status', role: 'alert' },
        el('span', { class: 'refusal' }, 'Not sent: ', el('bdi', { text: message.error.message })),
        ' ',
        el('button', { type: 'button', class: 'retry', onclick: () => this.#actions.retry(conversation, message) , text: 'Retry' }));
    }
    const at = message.deliveredAt ?? message.ts;
    return el('span', { class: 'msg-status', title: `Stored by the server at ${formatFull(at)}`, text: `Delivered ${formatTimeWithSeconds(at)}` });
  }
}
