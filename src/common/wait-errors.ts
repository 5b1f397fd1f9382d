// The two ways `--wait` ends badly, each with its own exit status so a script can tell them
// apart: some request failed (1, like any other runtime error) or time ran out (3).

import { AlpenhornError } from "./errors.ts";

/** Every request reached an end, but some were cancelled or left a corrupt or missing copy. */
export class WaitFailedError extends AlpenhornError {
  override name = "WaitFailedError";
  constructor(message: string) {
    super(message, 1);
  }
}

/** `--timeout` passed with requests still pending. */
export class WaitTimeoutError extends AlpenhornError {
  override name = "WaitTimeoutError";
  constructor(message: string) {
    super(message, 3);
  }
}
