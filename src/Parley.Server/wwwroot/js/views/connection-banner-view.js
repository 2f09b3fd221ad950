// The banner across the top while the connection is lost: says so, and when the next try is; or,
// when another tab or device signed in as the same person, offers to use the session here again.

import { byId } from './dom.js';

export class ConnectionBannerView {
  #banner = byId('banner');
  #text = byId('banner-text');
  #useHere = byId('banner-use-here');

  /**
   * @param {import('../state/chat-state.js').ChatState} state
   * @param {{takeBack: Function}} actions takeBack() signs in here again after a takeover
   */
  constructor(state, actions) {
    this.#useHere.addEventListener('click', () => actions.takeBack());
    state.subscribe(change => {
      if (change.kind === 'connection') {
        this.render(state.connection, state.connectionDetail);
      }
    });
  }

  render(status, detail) {
    this.#banner.dataset.status = status;
    this.#useHere.hidden = true;
    if (status === 'reconnecting') {
      const seconds = Math.max(1, Math.round(detail.delayMs / 1000));
      this.#show(`Connection lost. Reconnecting in ${seconds} s… Messages you send now go out once it is back.`);
    } else if (status === 'signed-out') {
      this.#show(`Signed out: ${detail.reason}`);
    } else if (status === 'taken-over') {
      this.#show('Signed in from another tab or device');
      this.#useHere.hidden = false;
    } else {
      this.#text.textContent = '';
      this.#banner.hidden = true;
    }
  }

  #show(text) {
    this.#text.textContent = text;
    this.#banner.hidden = false;
  }
}
