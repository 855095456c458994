import { testPrisma } from "./environment";

/** Waits until `count` statements of this worker's database are blocked on a lock. */
export async function lockWaiters(count: number): Promise<void> {
  const prisma = await testPrisma();
  for (let attempt = 0; attempt < 500; attempt++) {
    const rows = await prisma.$queryRaw<Array<{ waiting: number }>>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (rows[0]!.waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} statements ever waited on a lock`);
}
