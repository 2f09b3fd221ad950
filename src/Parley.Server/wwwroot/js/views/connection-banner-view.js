// The banner across the top while the connection is lost: says so, and when the next try is.

import { byId } from './dom.js';

export class ConnectionBannerView {
  #banner = byId('banner');

  /** @param {import('../state/chat-state.js').ChatState} state */
  constructor(state) {
    state.subscribe(change => {
      if (change.kind === 'connection') {
        this.render(state.connection, state.connectionDetail);
      }
    });
  }

  render(status, detail) {
    this.#banner.dataset.status = status;
    if (status === 'reconnecting') {
      const seconds = Math.max(1, Math.round(detail.delayMs / 1000));
      this.#banner.textContent = `Connection lost. Reconnecting in ${seconds} s… Messages you send now go out once it is back.`;
      this.#banner.hidden = false;
    } else if (status === 'signed-out') {
      this.#banner.textContent = `Signed out: ${detail.reason}`;
      this.#banner.hidden = false;
    } else {
      this.#banner.textContent = '';
      this.#banner.hidden = true;
    }
  }
}
