// "Protect this name with a password": a guest's small dialog that turns its name into an account.
// The new password is typed twice; the server's reason for a refusal shows beside the field.

import { byId, showFieldError } from './dom.js';
import { newPasswordProblem } from './new-password.js';

export class ProtectNameView {
  #open = byId('protect-name');
  #dialog = byId('protect-name-dialog');
  #form = byId('protect-name-form');
  #password = byId('protect-password');
  #again = byId('protect-password-again');
  #submit = byId('protect-name-submit');
  #passwordError = byId('protect-password-error');
  #againError = byId('protect-password-again-error');
  #formError = byId('protect-name-error');

  /** @param {(password: string) => Promise<void>} protect rejects with {code, message} */
  constructor(protect) {
    this.#open.addEventListener('click', () => this.#show());
    byId('protect-name-cancel').addEventListener('click', () => this.#close());
    // Escape closes a modal dialog by itself; what was typed goes with it
    this.#dialog.addEventListener('close', () => this.#forget());
    this.#form.addEventListener('submit', async event => {
      event.preventDefault();
      this.#clear();
      const problem = newPasswordProblem(this.#password.value, this.#again.value);
      if (problem !== null) {
        const [input, error] = problem.field === 'password' ? [this.#password, this.#passwordError] : [this.#again, this.#againError];
        showFieldError(input, error, problem.message);
        input.focus();
        return;
      }
      this.#submit.disabled = true;
      try {
        await protect(this.#password.value);
        this.#close();
      } catch (error) {
        if (error.code === 'weak_password') {
          showFieldError(this.#password, this.#passwordError, error.message);
          this.#password.focus();
        } else {
          this.#formError.textContent = error.message;
        }
      } finally {
        this.#submit.disabled = false;
      }
    });
  }

  /** Offers the dialog to a guest only: an account's name is protected already. */
  setGuest(isGuest) {
    this.#open.hidden = !isGuest;
    if (!isGuest && this.#dialog.open) {
      this.#close();
    }
  }

  #show() {
    this.#clear();
    this.#dialog.showModal();
    this.#password.focus();
  }

  #close() {
    if (this.#dialog.open) {
      this.#dialog.close();
    }
    this.#forget();
  }

  #forget() {
    this.#password.value = '';
    this.#again.value = '';
  }

  #clear() {
    showFieldError(this.#password, this.#passwordError, '');
    showFieldError(this.#again, this.#againError, '');
    this.#formError.textContent = '';
  }
}
