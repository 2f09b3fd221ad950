// Reconnect delays: quick first retry, then doubling up to a ceiling, with jitter so that many
// browsers do not come back in the same millisecond after a server restart.

const FIRST_MS = 250;
const CEILING_MS = 8000;

/** The delay before reconnect attempt number `attempt` (0 for the first). */
export function reconnectDelay(attempt) {
  const base = Math.min(CEILING_MS, FIRST_MS * 2 ** attempt);
  return Math.round(base / 2 + Math.random() * base / 2);
}
