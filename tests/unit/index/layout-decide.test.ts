// decideLayout: the two axes (host strings or records; storage_type or archive) from
// storagenode's columns and the table list, and the one-line refusals.

import { describe, expect, test } from "bun:test";
import { decideLayout, LayoutError } from "../../../src/index/layout/detect.ts";
import { LAYOUT_632DD41, LAYOUT_MAIN } from "../../../src/index/layout/types.ts";

const COMMON = ["id", "name", "root", "io_class", "group_id", "active", "auto_import", "auto_verify", "max_total_gb", "min_avail_gb", "avail_gb", "avail_gb_last_checked", "notes", "io_config"];
const OLD = [...COMMON, "host", "username", "address", "storage_type"];
const MAIN = [...COMMON, "host_id", "archive"];
const TABLES = ["storagegroup", "storagenode"];

describe("decideLayout", () => {
  test("632dd41's and main's layouts", () => {
    expect(decideLayout(OLD, TABLES)).toEqual(LAYOUT_632DD41);
    expect(decideLayout(MAIN, [...TABLES, "storagehost"])).toEqual(LAYOUT_MAIN);
  });

  test("no storagenode table: no layout yet", () => {
    expect(decideLayout([], ["dataindexversion"])).toBeUndefined();
  });

  const refused: Array<[string, string[], string[], RegExp]> = [
    ["host and host_id", [...OLD, "host_id"], TABLES, /^Unrecognised .*storagenode has host, username, address, host_id, storage_type; table storagehost absent\)/],
    ["host_id without storagehost", MAIN, TABLES, /^Unrecognised .*storagenode has host_id, archive; table storagehost absent\)/],
    ["storagehost beside host strings", OLD, [...TABLES, "storagehost"], /table storagehost present\)/],
    ["records with storage_type", [...COMMON, "host_id", "storage_type"], [...TABLES, "storagehost"], /storagenode has host_id, storage_type;/],
    ["both storage_type and archive", [...OLD, "archive"], TABLES, /storagenode has host, username, address, storage_type, archive;/],
    ["username missing", OLD.filter((c) => c !== "username"), TABLES, /storagenode has host, address, storage_type;/],
    ["none of the deciding columns", COMMON, TABLES, /storagenode has none of host, username, address, host_id, storage_type, archive;/],
    ["1518526's interim layout", [...COMMON, "host", "username", "address", "archive"], TABLES, /^Unsupported Data Index layout \(upstream 1518526's interim layout: /],
  ];
  for (const [what, columns, tables, message] of refused)
    test(`refused: ${what}`, () => {
      let err: unknown;
      try {
        decideLayout(columns, tables);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LayoutError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain("\n");
    });
});
