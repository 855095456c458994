import { withDatabase } from "../../src/db/connection";

/** The server the tests run against: TEST_DATABASE_URL, else DATABASE_URL, else the local PostgreSQL. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * Every database of a test run carries the run's id (set by global-setup, inherited by the
 * workers), so that runs started side by side never touch each other's data.
 */
function runId(): string {
  const id = process.env.CLAIMDESK_TEST_RUN;
  if (!id) throw new Error("CLAIMDESK_TEST_RUN is not set: run the tests through jest (global-setup sets it)");
  return id;
}

export function templateDatabaseName(): string {
  return `claimdesk_test_${runId()}_template`;
}

export function workerDatabaseName(): string {
  return `claimdesk_test_${runId()}_w${process.env.JEST_WORKER_ID ?? "1"}`;
}

export function templateDatabaseUrl(): string {
  return withDatabase(TEST_SERVER_URL, templateDatabaseName());
}

export function workerDatabaseUrl(): string {
  return withDatabase(TEST_SERVER_URL, workerDatabaseName());
}
