// The error family of alpenhorn-ts and the one mapping from error to exit status.
// Exit statuses are click's, because scripts written for alpenhorn test them:
// 0 success, 1 runtime error ("Error: …"), 2 usage error.

/**
 * Base of every error we raise on purpose; `exitCode` is what the process edge returns.
 * Each class names itself in a string literal: a crash prints `${name}: ${message}`, and a
 * name read from the class (`new.target.name`) is whatever the bundler made of the identifier.
 */
export class AlpenhornError extends Error {
  override name = "AlpenhornError";
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A runtime failure reported as `Error: {message}` with exit status 1 (click's ClickException). */
export class CliError extends AlpenhornError {
  override name = "CliError";
  constructor(message: string) {
    super(message, 1);
  }
}

/** A malformed or missing configuration (exit 1). */
export class ConfigError extends AlpenhornError {
  override name = "ConfigError";
  constructor(message: string) {
    super(message, 1);
  }
}

/**
 * A usage error (exit 2). `commandPath` is the command path for the `Usage:` line
 * (e.g. "node list"; "" for the top level); the edge fills it when the command knows it.
 */
export class UsageError extends AlpenhornError {
  override name = "UsageError";
  commandPath: string | undefined;
  usageArgs: string | undefined;
  constructor(message: string, commandPath?: string, usageArgs?: string) {
    super(message, 2);
    this.commandPath = commandPath;
    this.usageArgs = usageArgs;
  }
}

/** End of input or interrupt at a confirmation prompt: click prints `Aborted!` and exits 1. */
export class AbortedError extends AlpenhornError {
  override name = "AbortedError";
  constructor() {
    super("Aborted!", 1);
  }
}

/** A deliberate early exit with a given status and no message (click's ctx.exit). */
export class ExitRequest extends AlpenhornError {
  override name = "ExitRequest";
  constructor(code = 0) {
    super("", code);
  }
}

/** Neutral kinds of database failure, classified by each SQL dialect. */
export type IndexErrorKind =
  | "unavailable" // cannot connect / open
  | "connection-lost" // dropped mid-session: safe to retry once outside a transaction
  | "busy" // lock contention or deadlock
  | "conflict" // unique-constraint violation
  | "schema" // missing table / column
  | "other";

/** A database failure; `message` is already in alpenhorn's words where it shows one. */
export class IndexError extends AlpenhornError {
  override name = "IndexError";
  readonly kind: IndexErrorKind;
  override readonly cause: unknown;
  constructor(message: string, kind: IndexErrorKind, cause?: unknown) {
    super(message, 1);
    this.kind = kind;
    this.cause = cause;
  }
}

/** A refusal that protects data (e.g. too few archive copies to delete). */
export class IntegrityError extends AlpenhornError {
  override name = "IntegrityError";
  constructor(message: string) {
    super(message, 1);
  }
}

/**
 * `check-site` could not start (exit 4): a pre-flight refusal, the lock, the configuration or
 * the database. Distinct from 1 (inconsistencies found) and 3 (audit incomplete), so cron
 * jobs can tell "the site is wrong" from "the audit is".
 */
export class AuditStartError extends AlpenhornError {
  override name = "AuditStartError";
  constructor(message: string) {
    super(message, 4);
  }
}

/** `check-site` stopped after it began (exit 3): e.g. the database failed after the listing. */
export class AuditIncompleteError extends AlpenhornError {
  override name = "AuditIncompleteError";
  constructor(message: string) {
    super(message, 3);
  }
}

/** The one mapping from any thrown value to a process exit status. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof AlpenhornError) return err.exitCode;
  return 1;
}
