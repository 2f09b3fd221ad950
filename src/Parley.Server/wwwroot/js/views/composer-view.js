// The composer: Enter sends, Shift+Enter makes a new line; the box grows with its text.

import { byId } from './dom.js';

const MAX_ROWS_PX = 160;

export class ComposerView {
  #form = byId('composer');
  #text = byId('composer-text');

  /**
   * @param {import('../state/chat-state.js').ChatState} state
   * @param {(text: string) => void} send
   */
  constructor(state, send) {
    this.#form.addEventListener('submit', event => {
      event.preventDefault();
      const text = this.#text.value;
      if (text.trim() === '') {
        return;
      }
      send(text);
      this.#text.value = '';
      this.#fit();
      this.#text.focus();
    });
    this.#text.addEventListener('keydown', event => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.#form.requestSubmit();
      }
    });
    this.#text.addEventListener('input', () => this.#fit());
    state.subscribe(change => {
      if (change.kind === 'active' && state.active !== null) {
        // a placeholder is plain text: Unicode's own isolates (FSI … PDI) stand in for <bdi>
        this.#text.placeholder = `Message \u2068${state.active.name}\u2069`;
      }
    });
  }

  focus() {
    this.#text.focus();
  }

  #fit() {
    this.#text.style.height = 'auto';
    this.#text.style.height = `${Math.min(this.#text.scrollHeight, MAX_ROWS_PX)}px`;
  }
}
