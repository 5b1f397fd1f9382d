// Checks the throw-away MariaDB test server: it starts, is really MariaDB, and
// freshDatabase() gives isolated databases. Skips locally without MariaDB; fails under CI=true.

import { describe, expect, test } from "bun:test";
import { createConnection } from "mysql2/promise";
import { freshDatabase, mariadbOrSkip, mariadbSkipReason } from "../helpers/mariadb.ts";

// Top-level await: under CI=true a server that cannot start throws here and fails the file.
const server = await mariadbOrSkip();

describe.skipIf(!server)(`mariadb test helper${server ? "" : ` (skipped: ${mariadbSkipReason()})`}`, () => {
  test("server is MariaDB and reachable as root without password", async () => {
    const c = await createConnection({ host: server!.host, port: server!.port, user: server!.user });
    try {
      const [rows] = await c.query<any[]>("SELECT VERSION() AS v");
      expect(String(rows[0].v)).toContain("MariaDB");
    } finally {
      await c.end();
    }
  });

  test("fresh databases are distinct and isolated", async () => {
    await using a = await freshDatabase("helper");
    await using b = await freshDatabase("helper");
    expect(a.name).not.toBe(b.name);
    expect(a.url).toBe(`mysql://root@127.0.0.1:${server!.port}/${a.name}`);

    const ca = await createConnection(a.url);
    const cb = await createConnection(b.url);
    try {
      await ca.query("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(64))");
      await ca.query("INSERT INTO item VALUES (1, 'x')");
      const [inA] = await ca.query<any[]>("SHOW TABLES");
      const [inB] = await cb.query<any[]>("SHOW TABLES");
      expect(inA.length).toBe(1);
      expect(inB.length).toBe(0);
      await expect(cb.query("SELECT * FROM item")).rejects.toThrow(/doesn't exist/);
    } finally {
      await Promise.all([ca.end(), cb.end()]);
    }

    await a.drop();
    await b.drop();
    await a.drop(); // idempotent: `await using` calls it again on scope exit
    const admin = await createConnection({ host: server!.host, port: server!.port, user: server!.user });
    try {
      const [dbs] = await admin.query<any[]>("SHOW DATABASES LIKE 't\\_helper\\_%'");
      expect(dbs.map((r) => Object.values(r)[0])).not.toContain(a.name);
      expect(dbs.map((r) => Object.values(r)[0])).not.toContain(b.name);
    } finally {
      await admin.end();
    }
  });
});
