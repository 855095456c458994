/**
 * SQL statements per request of claimdesk, counted in-process: the real server (createServer) on a
 * Prisma client with query events on, one request at a time, counting the `query` events and the
 * read planner's statements (`onDirectStatement`).
 */
import { createPrismaClient, onDirectStatement } from "../src/db/prisma";
import { createServer } from "../src/server";
import type { GraphQLRequest } from "./operations";
import { parseConfig } from "../src/config";

export interface StatementCount {
  perRequest: number;
  /** The statements of the last counted request group (for the log). */
  sample: string[];
}

/**
 * `groups`: per operation, request groups to count (a group is one read request, or one mutation
 * cycle built step by step from the previous response). Each group runs once untimed first.
 */
export async function countClaimdeskStatements(
  databaseUrl: string,
  groups: Record<string, Array<(send: (request: GraphQLRequest) => Promise<unknown>) => Promise<number>>>,
  headers: Record<string, string> = {},
): Promise<Record<string, StatementCount>> {
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2, logQueries: true });
  let statements: string[] = [];
  prisma.$on("query" as never, (event: { query: string }) => {
    statements.push(event.query);
  });
  onDirectStatement(prisma, (query) => statements.push(query));
  const { app } = await createServer({ prisma, config: parseConfig({ LOG_LEVEL: "error" }) });
  // Over a real socket (not app.inject: its cookie dependency is ESM, which Jest's CommonJS runtime refuses).
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const send = async (request: GraphQLRequest) => {
    const response = await fetch(`${address}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(request),
    });
    return (await response.json()) as unknown;
  };
  const counts: Record<string, StatementCount> = {};
  try {
    await prisma.$queryRaw`SELECT 1`;
    for (const [op, runs] of Object.entries(groups)) {
      if (!runs.length) continue;
      await runs[0]!(send); // warm (first-use work is not per request)
      let total = 0;
      let requests = 0;
      let sample: string[] = [];
      for (const run of runs) {
        statements = [];
        requests += await run(send);
        total += statements.length;
        sample = statements;
      }
      if (process.env.BENCH_PRINT_STATEMENTS) console.error(op, sample.map((s) => s.slice(0, 120)));
      counts[op] = { perRequest: total / requests, sample };
    }
  } finally {
    await app.close();
    await prisma.$disconnect();
  }
  return counts;
}
