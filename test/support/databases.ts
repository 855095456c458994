import { withDatabase } from "../../src/db/connection";

/** The server the tests run against: TEST_DATABASE_URL, else DATABASE_URL, else the local PostgreSQL. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

export const TEMPLATE_DATABASE = "claimdesk_test_template";

export function templateDatabaseUrl(): string {
  return withDatabase(TEST_SERVER_URL, TEMPLATE_DATABASE);
}

export function workerDatabaseName(): string {
  return `claimdesk_test_${process.env.JEST_WORKER_ID ?? "1"}`;
}

export function workerDatabaseUrl(): string {
  return withDatabase(TEST_SERVER_URL, workerDatabaseName());
}
