// The left column: rooms and direct messages with unread counts, and the forms to join or create
// a room and to start a direct message.

import { byId, el, showFieldError } from './dom.js';
import { nameKey } from '../state/name-key.js';

export class ConversationListView {
  #state;
  #actions;
  #rooms = byId('room-list');
  #dms = byId('dm-list');

  /**
   * @param {import('../state/chat-state.js').ChatState} state
   * @param {{open: Function, joinRoom: Function, startDirect: Function}} actions the last two reject with {message}
   */
  constructor(state, actions) {
    this.#state = state;
    this.#actions = actions;
    this.#wireForm('join-room-form', 'join-room-name', 'join-room-error', name => actions.joinRoom(name.startsWith('#') ? name : `#${name}`));
    this.#wireForm('start-dm-form', 'start-dm-name', 'start-dm-error', name => actions.startDirect(name));
    state.subscribe(change => {
      if (change.kind === 'conversations' || change.kind === 'active') {
        this.render();
      }
    });
  }



  render() {
    const rooms = [];
    const dms = [];
    for (const conversation of this.#state.conversations.values()) {
      (conversation.kind === 'room' ? rooms : dms).push(conversation);
    }
    this.#rooms.replaceChildren(...rooms.sort(byName).map(c => this.#item(c)));
    this.#dms.replaceChildren(...dms.sort(byName).map(c => this.#item(c)));
  }

  #item(conversation) {
    const active = nameKey(conversation.name) === this.#state.activeKey;
    const unread = conversation.unread > 0
      ? el('span', { class: 'unread', text: String(conversation.unread), 'aria-label': `${conversation.unread} unread` })
      : null;
    const presence = conversation.kind === 'dm'
      ? el('span', { class: 'presence-dot', dataset: { online: String(this.#state.isOnline(conversation.name)) }, 'aria-hidden': 'true' })
      : null;
    return el('li', {},
      el('button', {
        type: 'button',
        class: 'conversation',
        dataset: { conversation: conversation.name },
        'aria-current': active ? 'page' : null,
        onclick: () => this.#actions.open(conversation.name),
      }, presence, el('bdi', { class: 'conversation-name', text: conversation.name }), unread));
  }

  #wireForm(formId, inputId, errorId, submit) {
    const input = byId(inputId);
    const error = byId(errorId);
    byId(formId).addEventListener('submit', async event => {
      event.preventDefault();
      const name = input.value.trim();
      showFieldError(input, error, '');
      if (name === '' || name === '#') {
        showFieldError(input, error, 'Enter a name.');
        return;
      }
      try {
        await submit(name);
        input.value = '';
      } catch (e) {
        showFieldError(input, error, e.message);
      }
    });
  }
}

function byName(a, b) {
  return a.name.localeCompare(b.name);
}
