// A notice above the messages that stays until dismissed: something the user must know that is
// not about the connection right now (the banner's job), such as being a new guest.

import { byId } from './dom.js';

export class NoticeView {
  #notice = byId('notice');
  #text = byId('notice-text');

  constructor() {
    byId('notice-dismiss').addEventListener('click', () => this.hide());
  }

  show(text) {
    this.#text.textContent = text;
    this.#notice.hidden = false;
  }

  hide() {
    this.#text.textContent = '';
    this.#notice.hidden = true;
  }
}
