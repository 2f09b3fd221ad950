// Frame ids: random, so a reloaded page never repeats an id the server still remembers
// (a repeated send id gets the old ack for 24 hours and is not delivered again).

/** A new id, unique across page loads. */
export function newFrameId(prefix = 'w') {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return prefix + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}
