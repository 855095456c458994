/**
 * The server's logs: JSON lines only, one per request carrying the request id (taken from
 * x-request-id or generated, and echoed), the operation name, the viewer and the duration; values
 * capped, so that neither a request body nor Prisma's SQL-and-arguments messages reach the log.
 */
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { createLogger, serializeError } from "../src/http/logging";
import type { PrismaClient } from "../src/db/prisma";
import { issueToken } from "../src/modules/user/user.tokens";
import { createServer } from "../src/server";
import { testConfig } from "./support/config";
import { userFor } from "./support/client";
import { testPrisma } from "./support/environment";

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(prisma?: PrismaClient) {
  const lines: string[] = [];
  const logger = createLogger({ logLevel: "info" }, { write: (line: string) => void lines.push(line) });
  ({ app } = await createServer({ prisma: prisma ?? (await testPrisma()), config: testConfig(), logger }));
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { address, lines, parsed };
}

function post(address: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${address}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

describe("request logs", () => {
  it("echo the caller's x-request-id and log it with operation name, viewer id and role, and duration", async () => {
    const { address, parsed } = await start();
    const editor = await userFor("EDITOR");
    const { token } = await issueToken(await testPrisma(), editor.id, "SESSION");

    const response = await post(address, { query: "query WhoAmI { __typename }" }, { "x-request-id": "trace-4f2a.77", authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("trace-4f2a.77");

    const line = parsed().find((entry) => entry.reqId === "trace-4f2a.77" && entry.msg === "request completed");
    expect(line).toMatchObject({
      level: 30,
      method: "POST",
      url: "/graphql",
      statusCode: 200,
      operationName: "WhoAmI",
      viewerId: editor.id,
      viewerRole: "EDITOR",
      outcome: "ok",
    });
    expect(typeof line!.durationMs).toBe("number");
    // The token itself is never logged.
    expect(JSON.stringify(parsed())).not.toContain(token);
  });

  it("generate a request id when there is none or it is not a sane token, and log anonymous readers without a viewer", async () => {
    const { address, parsed } = await start();
    const plain = await post(address, { query: "{ __typename }" });
    const generated = plain.headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    const hostile = await post(address, { query: "{ __typename }" }, { "x-request-id": "bad id\twith spaces" + "x".repeat(200) });
    const replaced = hostile.headers.get("x-request-id");
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced).not.toBe(generated);

    const line = parsed().find((entry) => entry.reqId === generated && entry.msg === "request completed")!;
    expect(line.viewerId).toBeUndefined();
    expect(line.outcome).toBe("ok");
    expect(parsed().some((entry) => JSON.stringify(entry).includes("bad id"))).toBe(false);
  });

  it("are JSON lines only, one per request", async () => {
    const { address, lines } = await start();
    await post(address, { query: "{ __typename }" });
    await fetch(`${address}/healthz`);
    await fetch(`${address}/no-such-route`);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "request completed");
    expect(requests.map((entry) => entry.url)).toEqual(["/graphql", "/healthz", "/no-such-route"]);
    // Fastify's own "incoming request" lines are gone: one line per request.
    expect(lines.some((line) => line.includes("incoming request"))).toBe(false);
  });

  it("stay small when a 0.9 MB argument causes an internal error: no body, no SQL parameters", async () => {
    const prisma = await testPrisma();
    // The article list fails the way a database error does: pg quotes the offending value in its
    // message. The read planner's statement is swapped, on its way to PostgreSQL, for one that
    // fails on its parameters.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called back with its pool as `this`
    const query = pg.Pool.prototype.query as (this: pg.Pool, text: string, values: unknown[]) => Promise<unknown>;
    jest.spyOn(pg.Pool.prototype, "query").mockImplementation(function (this: pg.Pool, config: unknown) {
      const values = (config as { values?: unknown[] }).values ?? [];
      return query.call(this, "SELECT ($1::text)::int AS n", [JSON.stringify(values)]) as never;
    });
    const { address, lines } = await start(prisma);
    const huge = `Z${"q".repeat(900_000)}`;
    const response = await post(address, {
      query: "query Huge($outlet: String) { articles(filter: { outlet: $outlet }) { totalCount } }",
      variables: { outlet: huge },
    });
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(body.errors[0]!.message).toBe("Internal server error");

    const logged = lines.join("");
    expect(logged.length).toBeLessThan(6_000);
    expect(logged).not.toContain("q".repeat(400));
    const entries = lines.map((line) => JSON.parse(line));
    const internal = entries.find((entry) => entry.msg === "internal error while answering a GraphQL request");
    expect(internal.err.code).toBeDefined();
    expect(internal.err.message.length).toBeLessThanOrEqual(400);
    const line = entries.find((entry) => entry.msg === "request completed");
    expect(line).toMatchObject({ operationName: "Huge", outcome: "INTERNAL_SERVER_ERROR" });
    jest.restoreAllMocks();
  });
});

describe("error serializer", () => {
  it("keeps the reason of a Prisma error and drops the call's arguments", async () => {
    const prisma = await testPrisma();
    const secretish = `S${"w".repeat(50_000)}`;
    const error = await prisma.article
      .findMany({ where: { outlet: secretish, noSuchField: 1 } as never })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(secretish); // what Prisma itself puts in the message

    const serialized = serializeError(error);
    const json = JSON.stringify(serialized);
    expect(json).not.toContain("w".repeat(300));
    expect(json.length).toBeLessThan(4_000);
    expect(serialized.type).toBe("PrismaClientValidationError");
    expect(Array.isArray(serialized.stack)).toBe(true);
  });

  it("caps long strings in any logged value", () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: "info" }, { write: (line: string) => void lines.push(line) });
    logger.info({ note: "n".repeat(10_000), nested: { blob: "b".repeat(10_000) } }, "capped");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(2_500);
    expect(JSON.parse(lines[0]!).msg).toBe("capped");
    logger.warn(`cannot listen (${"m".repeat(10_000)})`);
    expect(lines[1]!.length).toBeLessThan(1_000);
  });
});
