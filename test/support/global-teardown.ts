import { withAdminConnection } from "./admin";

/** Drops this run's template and worker databases. */
export default async function globalTeardown() {
  const run = process.env.CLAIMDESK_TEST_RUN;
  if (!run) return;
  await withAdminConnection(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname::text FROM pg_database WHERE datname LIKE $1", [`claimdesk_test_${run}_%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
