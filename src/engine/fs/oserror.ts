// Render a Node fs error the way Python prints an OSError (`[Errno 2] No such file or
// directory: '/path'`), because alpenhorn's messages embed that text.

import { constants } from "node:os";

const STRERROR: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  ENOSPC: "No space left on device",
  EFBIG: "File too large",
  EROFS: "Read-only file system",
  EEXIST: "File exists",
  ENOTEMPTY: "Directory not empty",
  EIO: "Input/output error",
  ELOOP: "Too many levels of symbolic links",
};

export function pyOSError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? "";
  const errno = (constants.errno as Record<string, number>)[code];
  if (errno === undefined) return String(e?.message ?? err);
  const text = STRERROR[code] ?? code;
  return e.path ? `[Errno ${errno}] ${text}: '${e.path}'` : `[Errno ${errno}] ${text}`;
}
