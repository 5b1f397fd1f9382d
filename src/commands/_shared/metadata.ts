// The metadata update helper (alpenhorn's update_or_remove): how a string option given on the
// command line turns into a column change, so activate/modify share one rule.

import { CliError, IndexError } from "../../common/errors.ts";

/**
 * Add `column` to `updates` when `given` changes it: undefined (option not given) changes
 * nothing; "" clears the column to NULL unless it is NULL already; any other value is set
 * when it differs from `current`.
 */
export function updateOrRemove<C extends string>(
  updates: { [K in C]?: string | number | null },
  column: C,
  given: string | undefined,
  current: string | null,
): void {
  if (given === undefined) return;
  if (given === "") {
    if (current !== null) updates[column] = null;
  } else if (given !== current) updates[column] = given;
}

/**
 * Run one name-bearing write, turning a unique-index refusal into CliError(message). Our name
 * lookups are exact, but MySQL's _ci unique index also refuses "foo" next to "Foo"; upstream
 * (whose lookup was case-insensitive there) printed its "already exists" error in that case.
 */
export async function nameConflictAs<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof IndexError && err.kind === "conflict") throw new CliError(message);
    throw err;
  }
}
