/**
 * The benchmark's operations: the GraphQL documents sent to claimdesk (and answered by the raw
 * server with one SQL statement each, see raw-server.ts), their PostGraphile equivalents (same data,
 * PostGraphile's naming), and the request parameters, picked deterministically from the dataset and
 * rotated so that no cache makes an operation trivial.
 */
import pg from "pg";
import { poolConfigFromUrl } from "../src/db/connection";
import { COMPANIES, TOPICS } from "./text";

/** claimdesk runs twice: without its published-read cache, and with it ("claimdesk-cached"). */
export type ServerName = "claimdesk" | "claimdesk-cached" | "raw" | "postgraphile";
export const SERVER_NAMES: ServerName[] = ["claimdesk", "claimdesk-cached", "raw", "postgraphile"];

export type OpName = "articleBySlug" | "articlesPage" | "claimSearch" | "sourceWithAttributions" | "mutationMix" | "mixed";
/** `mixed` comes last: it writes to published articles (see mixedWrite). */
export const OP_NAMES: OpName[] = ["articleBySlug", "articlesPage", "claimSearch", "sourceWithAttributions", "mutationMix", "mixed"];
/** The reads a `mixed` workload rotates through, one after the other. */
export const MIXED_READS = ["articleBySlug", "articlesPage", "sourceWithAttributions"] as const;
/** One request in WRITE_EVERY of `mixed` is a write (5%). */
export const MIXED_WRITE_EVERY = 20;

export const PAGE_SIZE = 20;
export const SEARCH_PAGE_SIZE = 20;

// ------------------------------------------------------------------------------------------------
// claimdesk (the raw server answers these same requests, dispatching on operationName)

export const CLAIMDESK = {
  articleBySlug: /* GraphQL */ `
query articleBySlug($slug: String!) {
  article(slug: $slug) {
    id slug title summary body language outlet url publishedAt status
    claims(first: 500) {
      id position statement kind quote
      anchor { start end exact }
      verdict { rating rationale createdAt }
      attributions(first: 100) {
        id role anonymity anonymityReason quote
        source { id kind name }
        via { id role source { id name } }
      }
      responses(first: 100) { id text quote onRecord madeOn respondent { id kind name } answers { stance } }
    }
  }
}`,
  articlesPage: /* GraphQL */ `
query articlesPage($first: Int!, $after: String) {
  articles(first: $first, after: $after, filter: { status: [PUBLISHED] }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id slug title summary outlet publishedAt
        claims(first: 500) { id statement kind verdict { rating createdAt } }
      }
    }
  }
}`,
  sourceWithAttributions: /* GraphQL */ `
query sourceWithAttributions($id: ID!) {
  source(id: $id) {
    id kind name description url externalId
    attributions {
      id role anonymity quote
      claim { id statement kind verdict { rating } article { id slug title } }
    }
  }
}`,
  createClaim: /* GraphQL */ `
mutation createClaim($input: CreateClaimInput!) {
  createClaim(input: $input) { id position verdict { rating } }
}`,
  attributeClaim: /* GraphQL */ `
mutation attributeClaim($input: AttributeClaimInput!) {
  attributeClaim(input: $input) { id role source { id name } }
}`,
  recordVerdict: /* GraphQL */ `
mutation recordVerdict($input: RecordVerdictInput!) {
  recordVerdict(input: $input) { id rating }
}`,
} as const;

// ------------------------------------------------------------------------------------------------
// PostGraphile 4 (pg-simplify-inflector, simpleCollections "both"). The slug is a unique *index*,
// not a constraint, so PostGraphile has no articleBySlug: a list with a condition does it. The
// latest verdict is the first of the verdicts ordered by sequence, descending.

export const POSTGRAPHILE = {
  articleBySlug: /* GraphQL */ `
query articleBySlug($slug: String!) {
  articlesList(condition: { slug: $slug, status: PUBLISHED }, first: 1) {
    id slug title summary body language outlet url publishedAt status
    claimsList(orderBy: [POSITION_ASC, CREATED_AT_ASC, ID_ASC]) {
      id position statement kind quote anchorStart anchorEnd
      verdictsList(orderBy: SEQUENCE_DESC, first: 1) { rating rationale createdAt }
      attributionsList(orderBy: [CREATED_AT_ASC, ID_ASC]) {
        id role anonymity anonymityReason quote
        source { id kind name }
        via { id role source { id name } }
      }
      responseAnswersList { stance response { id text quote onRecord madeAt source { id kind name } } }
    }
  }
}`,
  articlesPage: /* GraphQL */ `
query articlesPage($first: Int!, $after: Cursor) {
  articles(first: $first, after: $after, condition: { status: PUBLISHED }, orderBy: [CREATED_AT_DESC, ID_DESC]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id slug title summary outlet publishedAt
        claimsList(orderBy: [POSITION_ASC, CREATED_AT_ASC, ID_ASC]) {
          id statement kind
          verdictsList(orderBy: SEQUENCE_DESC, first: 1) { rating createdAt }
        }
      }
    }
  }
}`,
  sourceWithAttributions: /* GraphQL */ `
query sourceWithAttributions($id: UUID!) {
  source(id: $id) {
    id kind name description url externalId
    attributionsList(orderBy: [CREATED_AT_ASC, ID_ASC]) {
      id role anonymity quote
      claim { id statement kind verdictsList(orderBy: SEQUENCE_DESC, first: 1) { rating } article { id slug title } }
    }
  }
}`,
} as const;

// ------------------------------------------------------------------------------------------------
// Parameters

export interface MutationTarget {
  articleId: string;
  start: number;
  end: number;
  exact: string;
}

export interface BenchParams {
  slugs: string[];
  /** `after` of each page for claimdesk and the raw server (null = first page). */
  pageCursors: Array<string | null>;
  sourceIds: string[];
  searchWords: string[];
  mutationTargets: MutationTarget[];
  deskSourceIds: string[];
  /** `mixed`: the first claim of articles of `slugs` (published), and claims of draft articles. */
  publishedClaimIds: string[];
  draftClaimIds: string[];
}

const PARAM_COUNT = 200;
const PAGE_COUNT = 50;

function claimdeskCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify(["CREATED_AT_DESC", createdAt.toISOString(), id])).toString("base64url");
}

/** Picks the parameters from the dataset: deterministic (ordered by a hash of the id), many of each. */
export async function loadParams(databaseUrl: string): Promise<BenchParams> {
  const { schema: _schema, ...config } = poolConfigFromUrl(databaseUrl);
  const client = new pg.Client(config);
  await client.connect();
  try {
    const slugs = await client.query<{ slug: string }>(
      `SELECT slug FROM article WHERE status = 'PUBLISHED' ORDER BY md5(id::text) LIMIT $1`,
      [PARAM_COUNT],
    );
    const pages = await client.query<{ created_at: Date; id: string }>(
      `SELECT created_at, id FROM article WHERE status = 'PUBLISHED' ORDER BY created_at DESC, id DESC LIMIT $1`,
      [PAGE_SIZE * PAGE_COUNT],
    );
    const pageCursors: Array<string | null> = [null];
    for (let i = PAGE_SIZE - 1; i < pages.rows.length - 1 && pageCursors.length < PAGE_COUNT; i += PAGE_SIZE) {
      const row = pages.rows[i]!;
      pageCursors.push(claimdeskCursor(row.created_at, row.id));
    }
    // Sources whose attributions are all on published articles (every source of the dataset's
    // "published" slice), so that what an anonymous reader sees is the whole list.
    const sources = await client.query<{ id: string }>(
      `SELECT s.id FROM source s
       WHERE EXISTS (SELECT 1 FROM attribution t WHERE t.source_id = s.id)
         AND NOT EXISTS (SELECT 1 FROM attribution t JOIN claim c ON c.id = t.claim_id JOIN article a ON a.id = c.article_id
                         WHERE t.source_id = s.id AND a.status <> 'PUBLISHED')
       ORDER BY md5(s.id::text) LIMIT $1`,
      [PARAM_COUNT],
    );
    const targets = await client.query<{ article_id: string; anchor_start: number; anchor_end: number; quote: string }>(
      `SELECT a.id AS article_id, c.anchor_start, c.anchor_end, c.quote
       FROM article a JOIN LATERAL (
         SELECT anchor_start, anchor_end, quote FROM claim
         WHERE article_id = a.id AND quote IS NOT NULL AND anchor_start IS NOT NULL ORDER BY position LIMIT 1) c ON true
       WHERE a.status = 'DRAFT' ORDER BY md5(a.id::text) LIMIT 50`,
    );
    // Claims read by the rotation above (so that a write to one drops cached reads), and draft claims.
    const publishedClaims = await client.query<{ id: string }>(
      `SELECT (SELECT c.id FROM claim c WHERE c.article_id = a.id ORDER BY c.position, c.created_at, c.id LIMIT 1) AS id
       FROM article a WHERE a.slug = ANY($1::text[]) ORDER BY md5(a.id::text) LIMIT 50`,
      [slugs.rows.map((r) => r.slug)],
    );
    const draftClaims = await client.query<{ id: string }>(
      `SELECT c.id FROM claim c JOIN article a ON a.id = c.article_id WHERE a.status = 'DRAFT' ORDER BY md5(c.id::text) LIMIT 50`,
    );
    const desk = await client.query<{ id: string }>(
      `SELECT id FROM source ORDER BY created_at, id OFFSET (SELECT floor(count(*) * 0.9) FROM source) LIMIT 100`,
    );
    return {
      slugs: slugs.rows.map((r) => r.slug),
      pageCursors,
      sourceIds: sources.rows.map((r) => r.id),
      // Half common subjects (many hits to rank), half company names (a few hits): what readers type.
      searchWords: Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? TOPICS[(i * 7) % TOPICS.length]! : COMPANIES[(i * 37) % COMPANIES.length]!.split(" ")[0]!)),
      mutationTargets: targets.rows.map((r) => ({ articleId: r.article_id, start: r.anchor_start, end: r.anchor_end, exact: r.quote })),
      deskSourceIds: desk.rows.map((r) => r.id),
      publishedClaimIds: publishedClaims.rows.flatMap((r) => (r.id ? [r.id] : [])),
      draftClaimIds: draftClaims.rows.map((r) => r.id),
    };
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------------------------------------
// Request bodies

export interface GraphQLRequest {
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
}

/** Documents for claimSearch, once the search operation exists (see search.ts). */
export interface SearchDocuments {
  claimdesk: string;
  postgraphile?: string;
  variables: (word: string) => Record<string, unknown>;
}

/**
 * The rotation of read requests of an operation for a server (each request of the run takes the
 * next one). PostGraphile pages use PostGraphile's own cursors (walked beforehand).
 */
export function readRequests(
  op: Exclude<OpName, "mutationMix" | "mixed">,
  server: ServerName,
  params: BenchParams,
  extra: { postgraphileCursors?: Array<string | null>; search?: SearchDocuments } = {},
): GraphQLRequest[] {
  const docs = server === "postgraphile" ? POSTGRAPHILE : CLAIMDESK;
  switch (op) {
    case "articleBySlug":
      return params.slugs.map((slug) => ({ operationName: op, query: docs.articleBySlug, variables: { slug } }));
    case "articlesPage": {
      const cursors = server === "postgraphile" ? (extra.postgraphileCursors ?? [null]) : params.pageCursors;
      return cursors.map((after) => ({ operationName: op, query: docs.articlesPage, variables: { first: PAGE_SIZE, after } }));
    }
    case "sourceWithAttributions":
      return params.sourceIds.map((id) => ({ operationName: op, query: docs.sourceWithAttributions, variables: { id } }));
    case "claimSearch": {
      const search = extra.search;
      if (!search) return [];
      const query = server === "postgraphile" ? search.postgraphile : search.claimdesk;
      if (!query) return [];
      return params.searchWords.map((word) => ({ operationName: op, query, variables: search.variables(word) }));
    }
  }
}

/** One mutation cycle: createClaim, then attributeClaim and recordVerdict on the new claim. */
export function mutationCycle(params: BenchParams, i: number) {
  const target = params.mutationTargets[i % params.mutationTargets.length]!;
  const sourceId = params.deskSourceIds[i % params.deskSourceIds.length]!;
  const ratings = ["SUPPORTED", "MOSTLY_SUPPORTED", "MISLEADING", "DISPUTED", "REFUTED"] as const;
  return {
    createClaim: (): GraphQLRequest => ({
      operationName: "createClaim",
      query: CLAIMDESK.createClaim,
      variables: {
        input: {
          articleId: target.articleId,
          statement: `Benchmark claim ${i}: ${target.exact}.`.slice(0, 1000),
          kind: "FACTUAL",
          anchor: { start: target.start, end: target.end, exact: target.exact },
        },
      },
    }),
    attributeClaim: (claimId: string): GraphQLRequest => ({
      operationName: "attributeClaim",
      query: CLAIMDESK.attributeClaim,
      variables: { input: { claimId, sourceId, role: "CLAIMANT" } },
    }),
    recordVerdict: (claimId: string): GraphQLRequest => ({
      operationName: "recordVerdict",
      query: CLAIMDESK.recordVerdict,
      variables: { input: { claimId, rating: ratings[i % ratings.length], rationale: "Checked against the customs data." } },
    }),
  };
}

/**
 * The `i`-th write of the `mixed` workload, as an EDITOR: half to published articles (a verdict on
 * a claim of an article the reads rotate through: it changes what they answer), half to drafts (a
 * verdict, or a new claim, in a draft article: invisible to anonymous readers).
 */
export function mixedWrite(params: BenchParams, i: number): GraphQLRequest {
  const ratings = ["SUPPORTED", "MOSTLY_SUPPORTED", "MISLEADING", "DISPUTED", "REFUTED"] as const;
  const verdict = (claimId: string): GraphQLRequest => ({
    operationName: "recordVerdict",
    query: CLAIMDESK.recordVerdict,
    variables: { input: { claimId, rating: ratings[i % ratings.length], rationale: `Checked again (mixed workload, write ${i}).` } },
  });
  if (i % 2 === 0 && params.publishedClaimIds.length) return verdict(params.publishedClaimIds[(i / 2) % params.publishedClaimIds.length]!);
  if (i % 4 === 1 && params.draftClaimIds.length) return verdict(params.draftClaimIds[((i - 1) / 4) % params.draftClaimIds.length]!);
  return mutationCycle(params, i).createClaim();
}

/** The top-level field of a response's data must be present and non-null (else the parameter missed). */
export function responseProblem(body: string): string | null {
  let parsed: { data?: Record<string, unknown> | null; errors?: unknown[] };
  try {
    parsed = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 200)}`;
  }
  if (parsed.errors?.length) return `errors: ${JSON.stringify(parsed.errors).slice(0, 400)}`;
  const values = Object.values(parsed.data ?? {});
  if (!values.length || values.some((v) => v == null || (Array.isArray(v) && v.length === 0))) return `empty data: ${body.slice(0, 200)}`;
  return null;
}
