// How generated text is shown in a failure message: what a terminal would hide or reorder
// (controls, bidi overrides, combining marks) becomes \u escapes, so look-alike strings differ.

// Control characters, line and paragraph separators, bidirectional controls, and combining marks.
const HIDDEN = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\p{M}]/gu;

/** The text with hidden characters escaped, cut after `max` characters with the full length said. */
export function visible(text: string, max = 160): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const shown = cut.replace(HIDDEN, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
  return text.length > max ? `${shown}… (${text.length} characters)` : shown;
}
