// The sign-in screen: a name, a password for a registered name, and the server's reason for a
// refusal next to the field it concerns.

import { byId, showFieldError } from './dom.js';

/** Which field a refusal of `hello` is about. */
const FIELD_OF_CODE = {
  invalid_username: 'user',
  username_taken: 'user',
  auth_failed: 'password',
  weak_password: 'password',
};

export class SignInView {
  #form = byId('sign-in-form');
  #user = byId('sign-in-user');
  #password = byId('sign-in-password');
  #submit = byId('sign-in-submit');
  #userError = byId('sign-in-user-error');
  #passwordError = byId('sign-in-password-error');
  #formError = byId('sign-in-error');

  /** @param {(user: string, password: string) => Promise<void>} signIn rejects with {code, message} */
  constructor(signIn) {
    this.#form.addEventListener('submit', async event => {
      event.preventDefault();
      this.#clear();
      const user = this.#user.value.trim();
      if (user === '') {
        showFieldError(this.#user, this.#userError, 'Enter a name.');
        this.#user.focus();
        return;
      }
      this.#submit.disabled = true;
      try {
        await signIn(user, this.#password.value);
      } catch (error) {
        this.showRefusal(error.code, error.message);
      } finally {
        this.#submit.disabled = false;
      }
    });
  }

  /** Shows the sign-in form, with a reason the page was signed out and the name to sign in as again. */
  show(reason, user) {
    byId('sign-in').hidden = false;
    byId('chat').hidden = true;
    this.#clear();
    this.#password.value = '';
    if (user) {
      this.#user.value = user;
    }
    if (reason) {
      this.#formError.textContent = reason;
    }
    (user ? this.#password : this.#user).focus();
  }

  hide() {
    byId('sign-in').hidden = true;
    // the password is not kept on the page any longer than it takes to send it
    this.#password.value = '';
  }

  /** Shows the server's reason next to the field it concerns (or under the form). */
  showRefusal(code, message) {
    const field = FIELD_OF_CODE[code];
    if (field === 'user') {
      showFieldError(this.#user, this.#userError, message);
      this.#user.focus();
    } else if (field === 'password') {
      showFieldError(this.#password, this.#passwordError, message);
      this.#password.focus();
    } else {
      this.#formError.textContent = message;
    }
  }

  #clear() {
    showFieldError(this.#user, this.#userError, '');
    showFieldError(this.#password, this.#passwordError, '');
    this.#formError.textContent = '';
  }
}
