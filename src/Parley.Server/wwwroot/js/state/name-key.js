// The key two spellings of one name share, computed as the server computes it (Names.TryNormalizeUser
// in Parley.Protocol, RFC 8265's UsernameCaseMapped): full-width and half-width forms to their usual
// width, NFC, Unicode default case folding, NFC. Rooms come folded from the server and keep their '#'.
// This does not check that a name is valid, nor compare skeletons: the server refuses look-alikes.

/** Full-width and half-width forms (decomposition type wide or narrow), for PRECIS's width mapping. */
const WIDTH_FORM = /[\u3000\uFF01-\uFFEE]/gu;

/** Cherokee is the one script whose case folding goes to capitals. */
const CHEROKEE = /^[\u13A0-\u13FD\uAB70-\uABBF]$/u;

/**
 * Unicode default case folding of one code point. JavaScript has none: upper then lower case is the
 * same fold for every code point but three kinds, handled first (and one at a time, so that a final
 * sigma folds to σ as the server's folding does, not to ς as toLowerCase would make it).
 */
function foldCodePoint(c) {
  if (c === '\u0131') {
    return c; // dotless ı has no fold; upper then lower case would make it i
  }
  if (c === '\u1E9E') {
    return 'ss'; // capital ẞ, whose lower case ß would be left as it is
  }
  if (CHEROKEE.test(c)) {
    return c.toUpperCase();
  }
  return c.toUpperCase().toLowerCase();
}

/** The key of a name or room (`#name`): equal keys are one name to the server. */
export function nameKey(name) {
  const widthMapped = name.replace(WIDTH_FORM, c => c.normalize('NFKC'));
  return Array.from(widthMapped.normalize('NFC'), foldCodePoint).join('').normalize('NFC');
}
