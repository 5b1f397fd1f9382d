// The DDL each dialect renders must be byte-identical to alpenhorn's (the tables of
// alpenhorn/db/data_index.py: gamut at 632dd41, as captured in tests/fixtures/ddl-*.sql), so new
// indexes match existing ones.

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mysqlDialect } from "../../../src/index/dialect/mysql.ts";
import { sqliteDialect } from "../../../src/index/dialect/sqlite.ts";
import type { Dialect } from "../../../src/index/dialect/types.ts";
import { CORE_TABLES } from "../../../src/index/schema.ts";

function render(d: Dialect): string[] {
  return CORE_TABLES.flatMap((t) => [d.createTable(t), ...t.indexes.map((i) => d.createIndex(t, i))].map((s) => s + ";"));
}

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../../fixtures", name), "utf8").trim().split("\n");

describe("schema DDL", () => {
  test("SQLite DDL matches the original statement for statement", () => {
    expect(render(sqliteDialect)).toEqual(fixture("ddl-sqlite.sql"));
  });
  test("MySQL DDL matches the original statement for statement", () => {
    expect(render(mysqlDialect)).toEqual(fixture("ddl-mysql.sql"));
  });
});
