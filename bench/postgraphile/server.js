/**
 * PostGraphile 4.14.1 serving claimdesk's benchmark database, for comparison.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/claimdesk_bench PORT=5000 POOL_SIZE=10 node server.js
 *
 * GraphQL at /graphql (PostGraphile's own naming, simplified by @graphile-contrib/pg-simplify-inflector,
 * with plain lists for relations: `claimsList`, `attributionsList`, ...). GET /__bench/stats answers
 * the number of SQL statements this process has sent so far (for "SQL per request").
 */
"use strict";

const http = require("node:http");
const pg = require("pg");
const { postgraphile } = require("postgraphile");
const PgSimplifyInflectorPlugin = require("@graphile-contrib/pg-simplify-inflector");

let statements = 0;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements++;
  return originalQuery.apply(this, args);
};

function poolConfig(databaseUrl) {
  const url = new URL(databaseUrl);
  return {
    host: decodeURIComponent(url.hostname),
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || "postgres",
    password: decodeURIComponent(url.password) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)),
  };
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is required");
  process.exit(1);
}
const port = Number(process.env.PORT || 5000);
const pool = new pg.Pool({ ...poolConfig(databaseUrl), max: Number(process.env.POOL_SIZE || 10) });

const middleware = postgraphile(pool, "public", {
  appendPlugins: [PgSimplifyInflectorPlugin],
  simpleCollections: "both",
  graphqlRoute: "/graphql",
  graphiql: false,
  disableQueryLog: true,
  ignoreRBAC: true,
  // Order and filter by any column (PostGraphile's default), as claimdesk's queries do.
  ignoreIndexes: true,
  setofFunctionsContainNulls: false,
  retryOnInitFail: false,
});

const server = http.createServer((req, res) => {
  if (req.url === "/__bench/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ statements }));
    return;
  }
  middleware(req, res);
});

server.listen(port, "127.0.0.1", () => {
  console.log(`[postgraphile] ready at http://127.0.0.1:${port}/graphql`);
});

function stop() {
  server.close();
  pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
