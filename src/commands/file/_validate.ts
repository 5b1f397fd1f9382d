// Input checks shared by `file create` and `file modify`: import-path names and MD5 hashes,
// with alpenhorn's rejection messages.

import { CliError } from "../../common/errors.ts";

export { invalidImportPath } from "../../engine/fs/paths.ts";

// Python int(x, 16) on ASCII text: optional surrounding whitespace, sign, `0x` prefix, `_`
// between digits.
const PY_HEX_INT = /^[ \t\n\v\f\r]*[+-]?(?:0[xX])?_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*[ \t\n\v\f\r]*$/;

// Non-ASCII characters that Python's int() reads as white space (str.isspace() above U+007F).
const PY_UNICODE_SPACE = /[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

/**
 * alpenhorn's validate_md5: exactly 32 characters (code points) that Python's int(x, 16)
 * accepts (so a `0x` prefix or a sign pass as long as the length is 32). `undefined` (not
 * given) passes.
 */
export function validateMd5(md5: string | undefined): void {
  if (md5 === undefined) return;
  if ([...md5].length !== 32 || !isPyHex(md5)) throw new CliError(`invalid hash: ${md5}.  Expected 32 hex digits.`);
}

function isPyHex(s: string): boolean {
  const ascii = toAsciiLikePython(s);
  if (!PY_HEX_INT.test(ascii)) return false;
  // `_` may follow the `0x` prefix but not lead bare digits ("_ab" is invalid in Python).
  const body = ascii.trim().replace(/^[+-]/, "");
  return !body.startsWith("_");
}

/**
 * What CPython does before parsing an int: every non-ASCII white-space character becomes a
 * space and every non-ASCII decimal digit (Unicode Nd) its ASCII digit.
 */
function toAsciiLikePython(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (PY_UNICODE_SPACE.test(ch)) out += " ";
    else if (/\p{Nd}/u.test(ch)) out += String(ndValue(cp));
    else out += ch;
  }
  return out;
}

/** The value of a Unicode decimal digit: Nd digits come in contiguous runs 0…9. */
function ndValue(cp: number): number {
  let start = cp;
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}
