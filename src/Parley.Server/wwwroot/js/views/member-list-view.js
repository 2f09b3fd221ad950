// The right column: who is in the conversation on screen, and whether they are online.

import { byId, el } from './dom.js';

export class MemberListView {
  #state;
  #list = byId('member-list');
  #heading = byId('members-heading');

  /** @param {import('../state/chat-state.js').ChatState} state */
  constructor(state) {
    this.#state = state;
    state.subscribe(change => {
      if (change.kind === 'members' || change.kind === 'active' || change.kind === 'connection') {
        this.render();
      }
    });
  }

  render() {
    const conversation = this.#state.active;
    if (conversation === null) {
      this.#heading.textContent = 'Members';
      this.#list.replaceChildren();
      return;
    }
    const names = conversation.kind === 'room'
      ? [...conversation.members].sort((a, b) => a.localeCompare(b))
      : [this.#state.self, conversation.name];
    this.#heading.textContent = conversation.kind === 'room' ? `Members (${names.length})` : 'People';
    this.#list.replaceChildren(...names.map(name => {
      const online = this.#state.isOnline(name);
      return el('li', { class: 'member', dataset: { member: name, online: String(online) } },
        el('span', { class: 'presence-dot', dataset: { online: String(online) }, 'aria-hidden': 'true' }),
        el('bdi', { class: 'member-name', text: name }),
        this.#state.isSelf(name) ? el('span', { class: 'hint', text: ' (you)' }) : null,
        el('span', { class: 'visually-hidden', text: online ? ', online' : ', offline' }));
    }));
  }
}
