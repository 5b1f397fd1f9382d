// `alpenhorn file create NAME ACQ [--from-file] [--md5 HASH] [--prefix PREFIX] [--size SIZE]`:
// register a File record, with its MD5 and size given or computed from a local copy.

import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync, type Stats } from "node:fs";
import { resolve } from "node:path";
import { CliError, IndexError, UsageError } from "../../common/errors.ts";
import type { Db } from "../../index/driver/types.ts";
import { insertFile } from "../../index/queries/files.ts";
import { getFileInAcq } from "../../index/queries/lookup.ts";
import type { ArchiveAcqRow } from "../../index/rows.ts";
import { defineCommand } from "../_shared/define.ts";
import { COMMON } from "../_shared/options.ts";
import { purePathStr, resolveAcq } from "../_shared/resolve.ts";
import { invalidImportPath, validateMd5 } from "./_validate.ts";

export default defineCommand({
  meta: { name: "create", description: "Create a new File record." },
  help: `Create a new File record.

This command adds a File named NAME to the Acquisition named ACQ. ACQ must not already contain a File named NAME.

When creating the record, you must provide both the File's size in bytes and its 128-bit MD5 hash value, either with the "--md5" and "--size" options, or with the "--from-file" flag, which computes them by scanning a local copy of the file at "PREFIX/ACQ/NAME" (PREFIX defaults to the current working directory and may be given with "--prefix").

This command does _not_ associate the new file with a Storage Node. Importing files ("file import ACQ/NAME NODE --register-new") is the recommended way to create new File records in almost all cases.`,
  options: {
    fromFile: { names: ["--from-file"], kind: "flag", help: "Scan a local copy of the file to compute MD5 and size." },
    md5: COMMON.md5,
    prefix: { names: ["--prefix"], kind: "value", metavar: "PREFIX", help: "Use with --from-file to specify the location of the file to scan." },
    size: COMMON.fileSize,
  },
  args: [{ name: "NAME" }, { name: "ACQ" }],
  async run(ctx, a) {
    const { name, acq: acqName, fromFile, prefix } = a;
    let { md5, size } = a;

    // Usage checks use truthiness, as alpenhorn does: `--size=0` counts as not given.
    if (!md5 !== !size) throw new UsageError("--md5 and --size must be used together");
    if (fromFile && md5) throw new UsageError("cannot use both --from-file and --md5");
    if (md5 === undefined && !fromFile) throw new UsageError("missing either --from-file or both --md5 and --size");
    if (prefix && !fromFile) throw new UsageError("--prefix may only be used with --from_file");

    if (size !== undefined && size < 0) throw new CliError("negative file size.");
    const reason = invalidImportPath(name);
    if (reason) throw new CliError(`invalid name: ${reason}`);
    validateMd5(md5);

    const checkNew = async (db: Db): Promise<ArchiveAcqRow> => {
      const acq = await resolveAcq(db, acqName);
      if (await getFileInAcq(db, acq.id, name)) throw new CliError(`the File "${acqName}/${name}" already exists`);
      return acq;
    };

    if (fromFile) {
      // Check early, so a clash is reported before a possibly long hash; checked again below.
      await ctx.db.transaction(checkNew);
      // pathlib's Path(prefix).joinpath(acq).joinpath(name): an absolute part starts afresh.
      const parts = prefix ? [prefix, acqName, name] : [acqName, name];
      const shown = purePathStr(parts.reduce((acc, p) => (p.startsWith("/") ? p : `${acc}/${p}`)));
      const local = resolve(ctx.cwd, shown);
      if (!existsSync(local)) throw new CliError(`no such file: ${shown}`);
      let st: Stats;
      try {
        st = statSync(local);
      } catch (err) {
        throw new CliError(`unable to stat ${shown}: ${osError(err, shown)}`);
      }
      if (!st.isFile()) throw new CliError(`${shown} is not a regular file`);
      size = st.size;
      try {
        md5 = await md5File(local);
      } catch (err) {
        throw new CliError(`failed to hash ${shown}: ${osError(err, shown)}`);
      }
    }

    await ctx.db.transaction(async (tx) => {
      const acq = await checkNew(tx);
      try {
        await insertFile(tx, acq.id, name, md5 ?? null, size ?? null);
      } catch (err) {
        // MySQL's unique index also matches names differing only in case or trailing spaces.
        if (err instanceof IndexError && err.kind === "conflict") throw new CliError(`the File "${acqName}/${name}" already exists`);
        throw err;
      }
    });
    ctx.out.echo(`Registered File ${acqName}/${name}.`);
  },
});

async function md5File(path: string): Promise<string> {
  const hash = createHash("md5");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const ERRNO: Record<string, [number, string]> = {
  EACCES: [13, "Permission denied"],
  ENOENT: [2, "No such file or directory"],
  EISDIR: [21, "Is a directory"],
  EIO: [5, "Input/output error"],
  EPERM: [1, "Operation not permitted"],
};

/** An I/O error worded as Python's OSError prints: `[Errno 13] Permission denied: 'path'`. */
function osError(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const known = code ? ERRNO[code] : undefined;
  if (known) return `[Errno ${known[0]}] ${known[1]}: '${path}'`;
  return err instanceof Error ? err.message : String(err);
}
