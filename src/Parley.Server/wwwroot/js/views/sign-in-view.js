// The sign-in screen: a name, a password for a registered name, and the server's reason for a
// refusal next to the field it concerns. Its second form creates an account: a name and a new
// password typed twice.

import { byId, showFieldError } from './dom.js';
import { newPasswordProblem } from './new-password.js';

/** Which field a refusal of `hello` is about. */
const FIELD_OF_CODE = {
  invalid_username: 'user',
  username_taken: 'user',
  auth_failed: 'password',
  weak_password: 'password',
};

/** Which field a refusal of creating an account (its `hello`, then its `register`) is about. */
const CREATE_FIELD_OF_CODE = {
  invalid_username: 'user',
  username_taken: 'user',
  already_registered: 'user',
  // a guest's hello under a registered name: the name is someone's account
  auth_failed: 'user',
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
  #create = {
    form: byId('create-account-form'),
    user: byId('create-user'),
    password: byId('create-password'),
    again: byId('create-password-again'),
    submit: byId('create-account-submit'),
    userError: byId('create-user-error'),
    passwordError: byId('create-password-error'),
    againError: byId('create-password-again-error'),
    formError: byId('create-account-error'),
  };

  /**
   * @param {{signIn: (user: string, password: string) => Promise<void>,
   *          createAccount: (user: string, password: string) => Promise<void>}} actions reject with {code, message}
   */
  constructor({ signIn, createAccount }) {
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
    this.#create.form.addEventListener('submit', async event => {
      event.preventDefault();
      await this.#createAccount(createAccount);
    });
    byId('show-create-account').addEventListener('click', () => this.#showForm(this.#create.form, this.#create.user));
    byId('show-sign-in').addEventListener('click', () => this.#showForm(this.#form, this.#user));
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
    this.#showForm(this.#form, user ? this.#password : this.#user);
  }

  hide() {
    byId('sign-in').hidden = true;
    // the passwords are not kept on the page any longer than it takes to send them
    this.#password.value = '';
    this.#create.password.value = '';
    this.#create.again.value = '';
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

  async #createAccount(createAccount) {
    const f = this.#create;
    this.#clearCreate();
    const user = f.user.value.trim();
    if (user === '') {
      showFieldError(f.user, f.userError, 'Enter a name.');
      f.user.focus();
      return;
    }
    const problem = newPasswordProblem(f.password.value, f.again.value);
    if (problem !== null) {
      const [input, error] = problem.field === 'password' ? [f.password, f.passwordError] : [f.again, f.againError];
      showFieldError(input, error, problem.message);
      input.focus();
      return;
    }
    f.submit.disabled = true;
    try {
      await createAccount(user, f.password.value);
    } catch (error) {
      const field = CREATE_FIELD_OF_CODE[error.code];
      if (field === 'user') {
        showFieldError(f.user, f.userError, error.message);
        f.user.focus();
      } else if (field === 'password') {
        showFieldError(f.password, f.passwordError, error.message);
        f.password.focus();
      } else {
        f.formError.textContent = error.message;
      }
    } finally {
      f.submit.disabled = false;
    }
  }

  #showForm(form, focus) {
    this.#form.hidden = form !== this.#form;
    this.#create.form.hidden = form !== this.#create.form;
    focus.focus();
  }

  #clear() {
    showFieldError(this.#user, this.#userError, '');
    showFieldError(this.#password, this.#passwordError, '');
    this.#formError.textContent = '';
  }

  #clearCreate() {
    const f = this.#create;
    showFieldError(f.user, f.userError, '');
    showFieldError(f.password, f.passwordError, '');
    showFieldError(f.again, f.againError, '');
    f.formError.textContent = '';
  }
}
