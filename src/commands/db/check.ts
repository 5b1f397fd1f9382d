// `alpenhorn db check [--stale DAYS] [--json]`: the Data Index's self-audit. Reads only; each
// check is one set-wise query (src/index/queries/db-check.ts), the wording is _findings.ts.
// Exit 0 when nothing is found, 1 with findings (one line each), so cron can alert on it.

import { HEALTHY_HAS_FILE } from "../../common/archive-rule.ts";
import { CliError, ExitRequest, UsageError } from "../../common/errors.ts";
import { formatUtcMicros } from "../../common/time.ts";
import {
  danglingReferences,
  duplicatePendingRequests,
  filesWithoutSizeOrMd5,
  healthySizeMismatches,
  importRequestsForInactiveNodes,
  staleRequests,
} from "../../index/queries/db-check.ts";
import { selectNodes } from "../../index/queries/nodes.ts";
import { CORE_SCHEMA_VERSION } from "../../index/schema.ts";
import { schemaVersion } from "../../index/version.ts";
import { defineCommand } from "../_shared/define.ts";
import { writeJson } from "../_shared/json-output.ts";
import {
  danglingFinding,
  duplicateFinding,
  fileFinding,
  inactiveImportFinding,
  overlappingRoots,
  sizeFinding,
  staleFinding,
  type Finding,
} from "./_findings.ts";

const DAY_US = 86_400_000_000n;
/**
 * A copy's recorded size is the storage it uses (blocks × 512), so it differs from the file's
 * by block rounding; only a difference above 1 MiB, or 1% of a larger file, is reported.
 */
const SIZE_SLACK_BYTES = 1 << 20;
const SIZE_SLACK_FRACTION = 100;

export default defineCommand({
  meta: { name: "check", description: "Check the Data Index for inconsistencies." },
  help: `Check the Data Index for inconsistencies.

Reads the Data Index, changing nothing, and reports:

* file copies, copy and import requests, transfer actions, files and nodes naming a file, node, group or acquisition which does not exist;

* files without a size or an MD5 hash;

* healthy file copies whose recorded size differs from the size of their file by more than block allocation explains (1 MiB, or 1% of larger files);

* several pending copy requests of the same file into the same group;

* nodes on the same host whose roots are equal or nested;

* pending import requests for inactive nodes, which no daemon will serve;

* copy and import requests pending for more than DAYS days.

Each finding is printed on its own line.  The exit status is 0 when nothing was found, and 1 otherwise.`,
  options: {
    json: { names: ["--json"], kind: "flag", help: 'Print the findings as a JSON list of {"check": …, "message": …} objects.' },
    stale: {
      names: ["--stale"],
      kind: "value",
      type: "int",
      metavar: "DAYS",
      default: 7,
      help: "Report requests pending for more than DAYS days.  [default: 7]",
    },
  },
  args: [],
  async run(ctx, a) {
    const days = a.stale;
    if (!(days > 0)) throw new UsageError("--stale must be positive");
    const db = ctx.db;
    // The db group starts without insisting on the current schema (for db init); a check needs it.
    if ((await schemaVersion(db)) !== CORE_SCHEMA_VERSION) throw new CliError("Data Index missing or not at the current schema version; run `alpenhorn db init`");

    const findings: Finding[] = [];
    for (const d of await danglingReferences(db)) findings.push(danglingFinding(d));
    for (const f of await filesWithoutSizeOrMd5(db)) findings.push(fileFinding(f));
    for (const m of await healthySizeMismatches(db, HEALTHY_HAS_FILE, SIZE_SLACK_BYTES, SIZE_SLACK_FRACTION)) findings.push(sizeFinding(m));
    for (const d of await duplicatePendingRequests(db)) findings.push(duplicateFinding(d));
    findings.push(...overlappingRoots(await selectNodes(db)));
    for (const r of await importRequestsForInactiveNodes(db)) findings.push(inactiveImportFinding(r));
    const before = formatUtcMicros(BigInt(Date.now()) * 1000n - BigInt(days) * DAY_US);
    for (const r of await staleRequests(db, before)) findings.push(staleFinding(r, days));

    if (a.json) writeJson(ctx, findings);
    else for (const f of findings) ctx.out.echo(`${f.check}: ${f.message}`);
    if (findings.length > 0) throw new ExitRequest(1);
  },
});
