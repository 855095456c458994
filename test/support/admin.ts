import pg from "pg";
import { poolConfigFromUrl } from "../../src/db/connection";
import { TEST_SERVER_URL } from "./databases";

/** Runs statements on the test server's `postgres` database (creating and dropping databases). */
export async function withAdminConnection<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const { schema: _schema, ...config } = poolConfigFromUrl(TEST_SERVER_URL);
  const admin = new pg.Client({ ...config, database: "postgres" });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
