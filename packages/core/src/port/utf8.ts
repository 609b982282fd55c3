// UTF-8 decoding the way Racket's ports decode characters: a valid (shortest-form, non-surrogate,
// ≤ U+10FFFF) sequence is one character; otherwise the byte at hand becomes U+FFFD and decoding
// resumes at the next byte. So "\xE2\x82x" is "\uFFFD\uFFFDx", not one U+FFFD as WHATWG decoders give.

const REPLACEMENT = 0xfffd;

/** The code point of the last successful {@link utf8Step}. @internal */
export let stepCodePoint = 0;

/**
 * Decodes the character starting at byte `i` of a stream of `avail` bytes, reading them with
 * `get`. Returns the number of bytes it takes (1–4) and leaves its code point in
 * {@link stepCodePoint}, or returns 0 when the bytes so far are a valid prefix that more bytes may
 * complete (only when `!atEnd`).
 * @internal
 */
export function utf8Step(
  get: (i: number) => number,
  i: number,
  avail: number,
  atEnd: boolean,
): number {
  const b0 = get(i);
  if (b0 < 0x80) {
    stepCodePoint = b0;
    return 1;
  }
  let len: number;
  let lo = 0x80;
  let hi = 0xbf;
  let cp: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    cp = b0 & 0x0f;
    if (b0 === 0xe0)
      lo = 0xa0; // no overlong forms
    else if (b0 === 0xed) hi = 0x9f; // no surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    cp = b0 & 0x07;
    if (b0 === 0xf0) lo = 0x90;
    else if (b0 === 0xf4) hi = 0x8f; // ≤ U+10FFFF
  } else {
    stepCodePoint = REPLACEMENT;
    return 1;
  }
  for (let k = 1; k < len; k++) {
    if (i + k >= avail) {
      if (atEnd) break;
      return 0;
    }
    const b = get(i + k);
    if (b < lo || b > hi) break;
    lo = 0x80;
    hi = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    if (k === len - 1) {
      stepCodePoint = cp;
      return len;
    }
  }
  stepCodePoint = REPLACEMENT;
  return 1;
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes `bytes[start, end)` completely (the end is the end of the stream: a truncated sequence
 * decodes to one U+FFFD per byte). @internal
 */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const view = bytes.subarray(start, end);
  try {
    // Valid UTF-8 decodes the same either way; only invalid input needs the byte-wise rule.
    return strict.decode(view);
  } catch {
    const get = (i: number) => view[i]!;
    let out = "";
    for (let i = 0; i < view.length;) {
      const n = utf8Step(get, i, view.length, true);
      out += String.fromCodePoint(stepCodePoint);
      i += n;
    }
    return out;
  }
}
