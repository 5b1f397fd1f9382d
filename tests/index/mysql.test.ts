// The index contract on the test MariaDB server (a failure under CI=true if it cannot start).
import { describe, test } from "bun:test";
import { mariadbOrSkip } from "../helpers/mariadb.ts";
import { indexContract } from "./contract.ts";

if (await mariadbOrSkip()) indexContract("mysql");
else describe.skip("index contract [mysql]: no MariaDB server on this machine", () => test.skip("skipped", () => {}));
