// Input checks shared by `file create` and `file modify`: import-path names and MD5 hashes,
// with alpenhorn's rejection messages.

import { CliError } from "../../common/errors.ts";

export { invalidImportPath } from "../../engine/fs/paths.ts";

// Python int(x, 16): optional surrounding whitespace, sign, `0x` prefix, `_` between digits.
const PY_HEX_INT = /^\s*[+-]?(?:0[xX])?_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*\s*$/;

/**
 * alpenhorn's validate_md5: exactly 32 characters that Python's int(x, 16) accepts (so a
 * `0x` prefix or a sign pass as long as the length is 32). `undefined` (not given) passes.
 */
export function validateMd5(md5: string | undefined): void {
  if (md5 === undefined) return;
  if (md5.length !== 32 || !isPyHex(md5)) throw new CliError(`invalid hash: ${md5}.  Expected 32 hex digits.`);
}

function isPyHex(s: string): boolean {
  if (!PY_HEX_INT.test(s)) return false;
  // `_` may follow the `0x` prefix but not lead bare digits ("_ab" is invalid in Python).
  const body = s.trim().replace(/^[+-]/, "");
  return !body.startsWith("_");
}
