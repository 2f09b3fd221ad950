// On a phone-sized window the conversation list and the member list are panels over the
// messages, opened by the buttons in the top bar and closed by choosing or by Escape.

import { byId } from './dom.js';

export class NarrowLayout {
  #panels = [
    { button: byId('toggle-conversations'), panel: byId('conversations') },
    { button: byId('toggle-members'), panel: byId('members') },
  ];

  constructor() {
    for (const { button, panel } of this.#panels) {
      button.addEventListener('click', () => {
        const open = !panel.classList.contains('open');
        this.closePanels();
        panel.classList.toggle('open', open);
        button.setAttribute('aria-expanded', String(open));
        if (open) {
          panel.querySelector('button, input')?.focus();
        }
      });
    }
    document.addEventListener('keydown', event => {
      if (event.key === 'Escape') {
        this.closePanels();
      }
    });
  }

  closePanels() {
    for (const { button, panel } of this.#panels) {
      panel.classList.remove('open');
      button.setAttribute('aria-expanded', 'false');
    }
  }
}
