// The index contract on SQLite files in temp dirs.
import { indexContract } from "./contract.ts";
indexContract("sqlite");
