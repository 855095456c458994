/**
 * The raw-SQL baseline: a bare Node `http` server (no framework, no GraphQL engine) that answers
 * each benchmark operation with ONE hand-written SQL statement building the response with
 * json_build_object / json_agg, returning the same JSON as claimdesk's GraphQL response for that
 * operation ({"data":{...}}). It dispatches on the request's operationName and ignores the query
 * text. Statements are named (prepared once per connection; search excepted, see below), over a
 * pg Pool of claimdesk's size.
 *
 *   DATABASE_URL=... PORT=4100 POOL_SIZE=10 tsx bench/raw-server.ts
 *
 * GET /healthz answers {"ok":true}; GET /__bench/stats answers {"statements": n} (SQL statements sent).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { poolConfigFromUrl } from "../src/db/connection";
import { DEFAULT_POOL_SIZE } from "./config";
import { RAW_SEARCH_SQL } from "./search";

/** ISO-8601 in UTC with milliseconds, as graphql-scalars' DateTime serialises a JS Date. */
const ts = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The latest verdict of claim `c` (highest sequence), as a JSON object with the given fields. */
const latestVerdict = (fields: string) =>
  `(SELECT json_build_object(${fields}) FROM verdict v WHERE v.claim_id = c.id ORDER BY v.sequence DESC LIMIT 1)`;

/** claimdesk's opaque page cursor: base64url(JSON.stringify(["CREATED_AT_DESC", createdAt ISO, id])), without padding. */
const cursor = (alias: string) =>
  `rtrim(translate(encode(convert_to('["CREATED_AT_DESC","' || ${ts(`${alias}.created_at`)} || '","' || ${alias}.id || '"]', 'UTF8'), 'base64'), '+/' || chr(10), '-_'), '=')`;

export const RAW_SQL = {
  articleBySlug: `
SELECT json_build_object('data', json_build_object('article', (
  SELECT json_build_object(
    'id', a.id, 'slug', a.slug, 'title', a.title, 'summary', a.summary, 'body', a.body, 'language', a.language,
    'outlet', a.outlet, 'url', a.url, 'publishedAt', ${ts("a.published_at")}, 'status', a.status,
    'claims', COALESCE((
      SELECT json_agg(json_build_object(
        'id', c.id, 'position', c.position, 'statement', c.statement, 'kind', c.kind, 'quote', c.quote,
        'anchor', CASE WHEN c.quote IS NOT NULL AND c.anchor_start IS NOT NULL AND c.anchor_end IS NOT NULL
                       THEN json_build_object('start', c.anchor_start, 'end', c.anchor_end, 'exact', c.quote) END,
        'verdict', ${latestVerdict(`'rating', v.rating, 'rationale', v.rationale, 'createdAt', ${ts("v.created_at")}`)},
        'attributions', COALESCE((
          SELECT json_agg(json_build_object(
            'id', t.id, 'role', t.role, 'anonymity', t.anonymity, 'anonymityReason', t.anonymity_reason, 'quote', t.quote,
            'source', json_build_object('id', s.id, 'kind', s.kind, 'name', s.name),
            'via', (SELECT json_build_object('id', w.id, 'role', w.role, 'source', json_build_object('id', ws.id, 'name', ws.name))
                    FROM attribution w JOIN source ws ON ws.id = w.source_id WHERE w.id = t.via_id)
          ) ORDER BY t.created_at, t.id)
          FROM attribution t JOIN source s ON s.id = t.source_id
          WHERE t.claim_id = c.id), '[]'::json),
        'responses', COALESCE((
          SELECT json_agg(json_build_object(
            'id', r.id, 'text', r.text, 'quote', r.quote, 'onRecord', r.on_record, 'madeOn', ${ts("r.made_at")},
            'respondent', json_build_object('id', rs.id, 'kind', rs.kind, 'name', rs.name),
            'answers', (SELECT json_agg(json_build_object('stance', ra.stance) ORDER BY ra.position, ra.id) FROM response_answer ra WHERE ra.response_id = r.id)
          ) ORDER BY r.created_at, r.id)
          FROM response_answer rc JOIN response r ON r.id = rc.response_id JOIN source rs ON rs.id = r.source_id
          WHERE rc.claim_id = c.id), '[]'::json)
      ) ORDER BY c.position, c.created_at, c.id)
      FROM claim c WHERE c.article_id = a.id), '[]'::json))
  FROM article a WHERE a.slug = $1 AND a.status = 'PUBLISHED'
)))::text AS body`,

  articlesPage: `
WITH page AS (
  SELECT a.id, a.slug, a.title, a.summary, a.outlet, a.published_at, a.created_at,
         row_number() OVER (ORDER BY a.created_at DESC, a.id DESC) AS n
  FROM article a
  WHERE a.status = 'PUBLISHED' AND ($1::timestamptz IS NULL OR (a.created_at, a.id) < ($1::timestamptz, $2::uuid))
  ORDER BY a.created_at DESC, a.id DESC
  LIMIT $3::int + 1
)
SELECT json_build_object('data', json_build_object('articles', json_build_object(
  'totalCount', (SELECT count(*) FROM article WHERE status = 'PUBLISHED'),
  'pageInfo', json_build_object(
    'hasNextPage', (SELECT count(*) > $3::int FROM page),
    'endCursor', (SELECT ${cursor("p")} FROM page p WHERE p.n <= $3::int ORDER BY p.n DESC LIMIT 1)),
  'edges', COALESCE((
    SELECT json_agg(json_build_object(
      'cursor', ${cursor("p")},
      'node', json_build_object(
        'id', p.id, 'slug', p.slug, 'title', p.title, 'summary', p.summary, 'outlet', p.outlet, 'publishedAt', ${ts("p.published_at")},
        'claims', COALESCE((
          SELECT json_agg(json_build_object(
            'id', c.id, 'statement', c.statement, 'kind', c.kind,
            'verdict', ${latestVerdict(`'rating', v.rating, 'createdAt', ${ts("v.created_at")}`)}
          ) ORDER BY c.position, c.created_at, c.id)
          FROM claim c WHERE c.article_id = p.id), '[]'::json))
    ) ORDER BY p.n)
    FROM page p WHERE p.n <= $3::int), '[]'::json)
)))::text AS body`,

  sourceWithAttributions: `
SELECT json_build_object('data', json_build_object('source', (
  SELECT json_build_object(
    'id', s.id, 'kind', s.kind, 'name', s.name, 'description', s.description, 'url', s.url, 'externalId', s.external_id,
    'attributions', COALESCE((
      SELECT json_agg(json_build_object(
        'id', t.id, 'role', t.role, 'anonymity', t.anonymity, 'quote', t.quote,
        'claim', json_build_object(
          'id', c.id, 'statement', c.statement, 'kind', c.kind,
          'verdict', ${latestVerdict(`'rating', v.rating`)},
          'article', json_build_object('id', a.id, 'slug', a.slug, 'title', a.title))
      ) ORDER BY t.created_at, t.id)
      FROM attribution t JOIN claim c ON c.id = t.claim_id JOIN article a ON a.id = c.article_id
      WHERE t.source_id = s.id), '[]'::json))
  FROM source s WHERE s.id = $1::uuid
)))::text AS body`,

  claimSearch: RAW_SEARCH_SQL,

  // Mutations: one statement each as well (data-modifying CTEs).
  createClaim: `
WITH target AS (SELECT id, body FROM article WHERE id = $1::uuid),
next AS (SELECT COALESCE(max(position), -1) + 1 AS position FROM claim WHERE article_id = $1::uuid),
c AS (
  INSERT INTO claim (id, article_id, statement, kind, quote, anchor_start, anchor_end, anchor_prefix, anchor_suffix, anchor_state, position, updated_at)
  SELECT gen_random_uuid(), t.id, $2::text, 'FACTUAL', $5::text, $3::int, $4::int,
         substr(t.body, greatest(0, $3::int - 32) + 1, $3::int - greatest(0, $3::int - 32)), substr(t.body, $4::int + 1, 32),
         'ANCHORED', n.position, now()
  FROM target t, next n
  WHERE substr(t.body, $3::int + 1, $4::int - $3::int) = $5::text
  RETURNING id, position),
v AS (INSERT INTO verdict (id, claim_id, rating) SELECT gen_random_uuid(), c.id, 'UNVERIFIED' FROM c RETURNING claim_id, rating)
SELECT json_build_object('data', json_build_object('createClaim',
  json_build_object('id', c.id, 'position', c.position, 'verdict', json_build_object('rating', v.rating))))::text AS body
FROM c JOIN v ON v.claim_id = c.id`,

  attributeClaim: `
WITH t AS (
  INSERT INTO attribution (id, claim_id, source_id, role, anonymity, updated_at)
  VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::"AttributionRole", 'NAMED', now())
  RETURNING id, role, source_id)
SELECT json_build_object('data', json_build_object('attributeClaim',
  json_build_object('id', t.id, 'role', t.role, 'source', json_build_object('id', s.id, 'name', s.name))))::text AS body
FROM t JOIN source s ON s.id = t.source_id`,

  recordVerdict: `
WITH c AS (UPDATE claim SET current_rating = $2::"VerdictRating", updated_at = now() WHERE id = $1::uuid RETURNING id),
v AS (INSERT INTO verdict (id, claim_id, rating, rationale) SELECT gen_random_uuid(), c.id, $2::"VerdictRating", $3::text FROM c RETURNING id, rating)
SELECT json_build_object('data', json_build_object('recordVerdict', json_build_object('id', v.id, 'rating', v.rating)))::text AS body
FROM v`,
} as const;

type Vars = Record<string, unknown>;
type Input = Record<string, unknown>;

/** Decodes claimdesk's cursor into [createdAt, id] (null for the first page). */
function decodeCursor(after: unknown): [string | null, string | null] {
  if (typeof after !== "string" || !after) return [null, null];
  const [, createdAt, id] = JSON.parse(Buffer.from(after, "base64url").toString("utf8")) as [string, string, string];
  return [createdAt, id];
}

/** Statement name, SQL and parameters of each operation the raw server answers. */
const HANDLERS: Record<string, (vars: Vars) => [keyof typeof RAW_SQL, unknown[]]> = {
  articleBySlug: (vars) => ["articleBySlug", [vars.slug]],
  articlesPage: (vars) => ["articlesPage", [...decodeCursor(vars.after), typeof vars.first === "number" ? vars.first : 20]],
  sourceWithAttributions: (vars) => ["sourceWithAttributions", [vars.id]],
  claimSearch: (vars) => ["claimSearch", [String(vars.query).replaceAll("\u0000", " ").trim(), typeof vars.first === "number" ? vars.first : 20]],
  createClaim: (vars) => {
    const input = vars.input as Input;
    const anchor = input.anchor as { start: number; end: number; exact: string };
    return ["createClaim", [input.articleId, input.statement, anchor.start, anchor.end, anchor.exact]];
  },
  attributeClaim: (vars) => {
    const input = vars.input as Input;
    return ["attributeClaim", [input.claimId, input.sourceId, input.role]];
  },
  recordVerdict: (vars) => {
    const input = vars.input as Input;
    return ["recordVerdict", [input.claimId, input.rating, input.rationale ?? null]];
  },
};

export interface RawServer {
  server: http.Server;
  pool: pg.Pool;
  url: string;
  statements(): number;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: string) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function errorBody(message: string): string {
  return JSON.stringify({ errors: [{ message }], data: null });
}

export async function createRawServer(options: { databaseUrl: string; poolSize?: number; port?: number; host?: string }): Promise<RawServer> {
  const { schema: _schema, ...config } = poolConfigFromUrl(options.databaseUrl);
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? DEFAULT_POOL_SIZE });
  let statements = 0;

  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthz") return send(res, 200, '{"ok":true}');
    if (req.method === "GET" && req.url === "/__bench/stats") return send(res, 200, JSON.stringify({ statements }));
    if (req.method !== "POST" || req.url !== "/graphql") return send(res, 404, errorBody("not found"));
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let name: keyof typeof RAW_SQL;
      let values: unknown[];
      try {
        const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { operationName?: string; variables?: Vars };
        const handler = request.operationName ? HANDLERS[request.operationName] : undefined;
        if (!handler) return send(res, 400, errorBody(`unknown operation ${String(request.operationName)}`));
        [name, values] = handler(request.variables ?? {});
      } catch (error) {
        return send(res, 400, errorBody(`bad request: ${String(error)}`));
      }
      statements++;
      // Named (prepared once per connection), except search: PostgreSQL would soon switch its
      // prepared statement to a generic plan, which cannot see the search words and is many times
      // slower; claimdesk (Prisma) sends it unnamed, planned for each query.
      const query = name === "claimSearch" ? { text: RAW_SQL[name], values } : { name, text: RAW_SQL[name], values };
      pool.query<{ body: string }>(query).then(
        (result) => {
          const row = result.rows[0];
          send(res, 200, row ? row.body : errorBody(`${name}: nothing matched`));
        },
        (error: Error) => send(res, 200, errorBody(`${name}: ${error.message}`)),
      );
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    pool,
    url: `http://127.0.0.1:${port}/graphql`,
    statements: () => statements,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await pool.end();
    },
  };
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required");
  const raw = await createRawServer({
    databaseUrl,
    poolSize: Number(process.env.POOL_SIZE || DEFAULT_POOL_SIZE),
    port: Number(process.env.PORT || 4100),
  });
  console.log(`[raw] ready at ${raw.url}`);
  const stop = () => {
    raw.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
