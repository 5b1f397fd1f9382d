// The index contract on the test MariaDB server: skipped (with the reason) when no server can
// start locally, a failure under CI=true.
import { describeFor } from "../helpers/index.ts";
import { indexContract } from "./contract.ts";

indexContract("mysql", await describeFor("mysql"));
