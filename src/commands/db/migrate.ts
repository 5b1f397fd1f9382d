// `alpenhorn db migrate --to main|632dd41 [--check] [--force]`: move the Data Index between
// alpenhorn 632dd41's table layout and upstream main's. Lists every case that would lose or
// invent data first; refuses while an undecidable one remains; asks before changing tables
// on MySQL (each change commits at once there: a backup is expected, and an interrupted run
// can be run again).

import { CliError, ExitRequest, UsageError } from "../../common/errors.ts";
import { parseDatabaseUrl } from "../../index/connect.ts";
import { LayoutError, readLayout } from "../../index/layout/detect.ts";
import { LAYOUT_TITLES, LAYOUTS, type Layout, type LayoutName } from "../../index/layout/types.ts";
import { analyse } from "../../index/migrate/analyse.ts";
import { isInterruptedMigration, migrateLayout, schemaState } from "../../index/migrate/run.ts";
import { CORE_SCHEMA_VERSION } from "../../index/schema.ts";
import { checkSchemaVersion } from "../../index/version.ts";
import type { CommandContext } from "../_shared/context.ts";
import { confirm, notBoth } from "../_shared/confirm.ts";
import { defineCommand } from "../_shared/define.ts";

/** The database a MySQL URL names, for the backup reminder. */
function databaseName(ctx: CommandContext): string {
  try {
    const target = parseDatabaseUrl(String(ctx.config.mapping("database", {}).url ?? ""), ctx.cwd);
    return target.kind === "mysql" ? target.database : "";
  } catch {
    return "";
  }
}

export default defineCommand({
  meta: { name: "migrate", description: "Move the Data Index to another table layout." },
  help: `Move the Data Index to another table layout.

Both alpenhorn 632dd41 and upstream alpenhorn's main branch call their Data Index version 2, but main keeps hosts in a storagehost table and a node's role as an archive flag.  This moves the index to the layout named by --to, keeping every node.

Every case that would lose or invent data is listed first, by node name; the migration is refused while an undecidable one remains.  On SQLite it is one transaction.  On MySQL, where table changes commit at once, back up the database first; an interrupted migration can be run again.`,
  options: {
    to: { names: ["--to"], kind: "value", metavar: "[main|632dd41]", help: "The table layout to move to.  [required]" },
    check: { names: ["--check", "-c"], kind: "flag", help: "Only list what the migration would lose or refuse; write nothing.  Incompatible with --force" },
    force: { names: ["--force"], kind: "flag", help: "Skip the confirmation.  Incompatible with --check" },
  },
  args: [],
  async run(ctx, a) {
    if (a.to === undefined) throw new UsageError("Missing option '--to'.");
    if (!Object.hasOwn(LAYOUTS, a.to)) throw new UsageError(`Invalid value for '--to': '${a.to}' is not one of '632dd41', 'main'.`);
    notBoth(a.check, "check", a.force, "force");
    const to = a.to as LayoutName;
    const db = ctx.db;
    await checkSchemaVersion(db, CORE_SCHEMA_VERSION);

    let from: Layout | undefined;
    let resuming = false;
    try {
      from = await readLayout(db);
    } catch (err) {
      if (!(err instanceof LayoutError) || db.dialect.transactionalDdl || !isInterruptedMigration(await schemaState(db), to)) throw err;
      resuming = true;
    }
    if (!resuming && from === undefined) throw new CliError("No Data Index tables found.");
    if (from?.name === to) {
      ctx.out.echo(`Data Index already in ${LAYOUT_TITLES[to]}.`);
      return;
    }
    const state = await schemaState(db);
    const { refused, lossy } = await analyse(db, to, state.columns, state.tables);
    ctx.out.echo(resuming ? `Resuming an interrupted migration to ${LAYOUT_TITLES[to]}.` : `Migration from ${LAYOUT_TITLES[from!.name]} to ${LAYOUT_TITLES[to]}:`);
    for (const f of refused) ctx.out.echo(`  refused: ${f.subject} ${f.text}`);
    for (const f of lossy) ctx.out.echo(`  lossy: ${f.subject} ${f.text}`);
    if (to === "main" && ctx.config.has("base.hostname") && !ctx.config.has("daemon.host"))
      ctx.out.echo("  warning: the config sets base.hostname but not daemon.host; upstream main's daemon ignores base.hostname and uses the short host name.");
    if (refused.length === 0 && lossy.length === 0) ctx.out.echo("  nothing would be lost.");
    if (refused.length > 0) throw new CliError(`Migration refused: ${refused.length} undecidable case${refused.length === 1 ? "" : "s"} listed above.  Nothing was written.`);
    if (a.check) {
      ctx.out.echo("Check only: nothing was written.");
      return;
    }
    if (!a.force && (!db.dialect.transactionalDdl || lossy.length > 0)) {
      if (!db.dialect.transactionalDdl) {
        const name = databaseName(ctx);
        ctx.out.echo(
          `MySQL commits each table change at once: this expects a backup of database "${name}" taken just now (e.g. mysqldump ${name} > ${name}-before-migrate.sql).  An interrupted migration can be run again.`,
        );
      }
      if (!(await confirm(ctx))) {
        ctx.out.echo("Cancelled.");
        throw new ExitRequest(0);
      }
    }
    await migrateLayout(db, to);
    ctx.out.echo(`Data Index migrated to ${LAYOUT_TITLES[to]}.`);
  },
});
