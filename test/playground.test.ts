import type { FastifyInstance } from "fastify";
import { createServer } from "../src/server";
import { testPrisma } from "./support/environment";
import { testConfig } from "./support/config";

// Real HTTP on an ephemeral port (see server.test.ts for why app.inject is not used).
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start() {
  ({ app } = await createServer({ prisma: await testPrisma(), config: testConfig() }));
  return app.listen({ port: 0, host: "127.0.0.1" });
}

describe("the editors' playground", () => {
  it("serves a GraphiQL page whose every script and stylesheet comes from this server, not a CDN", async () => {
    const address = await start();
    const page = await fetch(`${address}/playground`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(["/playground/assets/graphiql.css", "/playground/assets/react.js", "/playground/assets/react-dom.js", "/playground/assets/graphiql.js"]);
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of assets) {
      const response = await fetch(`${address}${asset}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    }
  });

  it("answers 404 for an asset it does not serve, and never reads arbitrary files", async () => {
    const address = await start();
    expect((await fetch(`${address}/playground/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${address}/playground/assets/secret.js`)).status).toBe(404);
  });
});
