// A new password is typed twice, so that a typo does not lock its owner out. The server judges
// whether it is strong enough (weak_password); the page checks only what the server cannot see.

/** What is wrong with a new password and its repetition, or null: {field: 'password'|'again', message}. */
export function newPasswordProblem(password, again) {
  if (password === '') {
    return { field: 'password', message: 'Choose a password.' };
  }
  if (again !== password) {
    return { field: 'again', message: 'The two passwords are not the same.' };
  }
  return null;
}
