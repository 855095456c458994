import type { Tx } from "../src/db/prisma";
import {
  ArticleByIdDocument,
  ClaimByIdDocument,
  CreateArticleDocument,
  CreateClaimDocument,
  RecordVerdictDocument,
  UpdateArticleDocument,
  UpdateClaimDocument,
  type VerdictRating,
} from "./generated/operations";
import { gql, gqlAs, gqlOk, internalErrors, type GqlResult } from "./support/client";
import { testPrisma } from "./support/environment";
import { lockWaiters } from "./support/locks";

interface Outcome {
  successes: Array<{ version: number; value: string }>;
  conflicts: Array<{ expected: number; current: number }>;
  other: unknown[];
}

/** Sorts each result of a versioned write into success, CONFLICT (with its current version) or anything else. */
function collect(outcome: Outcome, expected: number, value: string, result: GqlResult<Record<string, { version: number } | undefined>>) {
  const written = result.data ? Object.values(result.data)[0] : undefined;
  if (!result.errors?.length && written) {
    outcome.successes.push({ version: written.version, value });
    return;
  }
  const error = result.errors?.length === 1 ? result.errors[0]! : undefined;
  if (error?.extensions?.code === "CONFLICT" && typeof error.extensions.currentVersion === "number") {
    outcome.conflicts.push({ expected, current: error.extensions.currentVersion });
  } else {
    outcome.other.push(result);
  }
}

/** Audit rows of one entity and action, oldest first, with the version before and after each. */
async function auditVersions(entityId: string, action = "UPDATE") {
  const rows = await (await testPrisma()).auditEntry.findMany({ where: { entityId, action }, orderBy: { sequence: "asc" } });
  return rows.map((row) => (row.changes as { version: { before: number; after: number } }).version);
}

function expectNoLostUpdates(outcome: Outcome, initial: number, final: number, audited: Array<{ before: number; after: number }>) {
  expect(outcome.other).toEqual([]);
  expect(outcome.successes.length).toBe(final - initial);
  expect(audited.length).toBe(outcome.successes.length);
  // Every success produced its own version: together exactly initial+1 .. final, none twice.
  expect(outcome.successes.map((s) => s.version).sort((a, b) => a - b)).toEqual(Array.from({ length: final - initial }, (_, i) => initial + 1 + i));
  // The audit log is one unbroken chain of versions.
  expect(audited).toEqual(Array.from({ length: final - initial }, (_, i) => ({ before: initial + i, after: initial + i + 1 })));
  // A conflict always reports a version newer than the one the client had read.
  for (const conflict of outcome.conflicts) expect(conflict.current).toBeGreaterThan(conflict.expected);
}

describe("no lost updates under concurrency", () => {
  it("20 clients x 50 read-then-update cycles on one article: every write either lands or is told CONFLICT", async () => {
    const CLIENTS = 20;
    const UPDATES = 50;
    const { createArticle } = await gqlOk(CreateArticleDocument, { input: { title: "Contended article", body: "Body." } });
    const initial = createArticle.version;
    const outcome: Outcome = { successes: [], conflicts: [], other: [] };
    const internalBefore = internalErrors.length;

    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let update = 0; update < UPDATES; update++) {
          const read = await gqlAs("EDITOR", ArticleByIdDocument, { id: createArticle.id });
          const version = read.data!.article!.version;
          const title = `Client ${client} update ${update}`;
          const result = await gqlAs("EDITOR", UpdateArticleDocument, { input: { id: createArticle.id, expectedVersion: version, title, summary: `Summary by client ${client}` } });
          collect(outcome, version, title, result);
        }
      }),
    );
    const elapsed = Math.round(performance.now() - started);

    const final = (await gqlOk(ArticleByIdDocument, { id: createArticle.id })).article!.version;
    const audited = await auditVersions(createArticle.id);
    console.log(
      `updateArticle: ${CLIENTS} clients x ${UPDATES} updates = ${CLIENTS * UPDATES} attempts in ${elapsed} ms: ` +
        `${outcome.successes.length} succeeded, ${outcome.conflicts.length} CONFLICT, ${outcome.other.length} other; ` +
        `version ${initial} -> ${final}, ${audited.length} UPDATE audit rows`,
    );
    if (internalErrors.length > internalBefore) console.log("internal errors:", internalErrors.slice(internalBefore, internalBefore + 3));
    expect(outcome.successes.length + outcome.conflicts.length).toBe(CLIENTS * UPDATES);
    expectNoLostUpdates(outcome, initial, final, audited);
    expect(internalErrors.length).toBe(internalBefore);
    // The article holds exactly the write that produced the final version.
    const last = outcome.successes.find((s) => s.version === final)!;
    const stored = await (await testPrisma()).article.findUniqueOrThrow({ where: { id: createArticle.id } });
    expect(stored.title).toBe(last.value);
    expect(stored.version).toBe(final);
  }, 180_000);

  it("10 clients x 10 read-then-update cycles on one claim", async () => {
    const CLIENTS = 10;
    const UPDATES = 10;
    const { createArticle } = await gqlOk(CreateArticleDocument, { input: { title: "Claims under contention", body: "Body." } });
    const { createClaim } = await gqlOk(CreateClaimDocument, { input: { articleId: createArticle.id, statement: "Initial statement." } });
    const outcome: Outcome = { successes: [], conflicts: [], other: [] };
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let update = 0; update < UPDATES; update++) {
          const version = (await gqlAs("EDITOR", ClaimByIdDocument, { id: createClaim.id })).data!.claim!.version;
          const statement = `Statement by client ${client}, update ${update}.`;
          collect(outcome, version, statement, await gqlAs("EDITOR", UpdateClaimDocument, { input: { id: createClaim.id, expectedVersion: version, statement } }));
        }
      }),
    );
    const elapsed = Math.round(performance.now() - started);
    const claim = (await gqlOk(ClaimByIdDocument, { id: createClaim.id })).claim!;
    const audited = await auditVersions(createClaim.id);
    console.log(
      `updateClaim: ${CLIENTS} clients x ${UPDATES} updates in ${elapsed} ms: ${outcome.successes.length} succeeded, ` +
        `${outcome.conflicts.length} CONFLICT, ${outcome.other.length} other; version 1 -> ${claim.version}`,
    );
    expectNoLostUpdates(outcome, 1, claim.version, audited);
    expect(claim.statement).toBe(outcome.successes.find((s) => s.version === claim.version)!.value);
  }, 120_000);

  /** 10 clients (editors and fact-checkers) recording 5 verdicts each on one claim, all at once. */
  async function concurrentVerdicts() {
    const CLIENTS = 10;
    const VERDICTS = 5;
    const RATINGS: VerdictRating[] = ["SUPPORTED", "REFUTED", "DISPUTED", "MISLEADING", "MOSTLY_SUPPORTED", "UNPROVABLE"];
    const { createArticle } = await gqlOk(CreateArticleDocument, { input: { title: "Verdicts under contention", body: "Body." } });
    const { createClaim } = await gqlOk(CreateClaimDocument, { input: { articleId: createArticle.id, statement: "A contested claim." } });
    const failures: unknown[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let n = 0; n < VERDICTS; n++) {
          const rating = RATINGS[(client + n) % RATINGS.length]!;
          const result = await gqlAs(client % 2 ? "FACT_CHECKER" : "EDITOR", RecordVerdictDocument, { input: { claimId: createClaim.id, rating, rationale: `client ${client} #${n}` } });
          if (result.errors?.length) failures.push(result.errors);
        }
      }),
    );
    const elapsed = Math.round(performance.now() - started);
    console.log(`recordVerdict: ${CLIENTS} clients x ${VERDICTS} verdicts in ${elapsed} ms, ${failures.length} failed`);
    const claim = (await gqlOk(ClaimByIdDocument, { id: createClaim.id })).claim!;
    // Oldest first: the automatic UNVERIFIED, then the recorded verdicts in the order they were stored.
    const history = [...claim.verdicts].reverse();
    const audit = await (await testPrisma()).auditEntry.findMany({ where: { articleId: createArticle.id, entity: "Verdict" }, orderBy: { sequence: "asc" } });
    return { total: CLIENTS * VERDICTS, failures, claim, history, audit };
  }

  it("10 clients x 5 verdicts on one claim: all recorded, the current verdict is the newest, one audit row each", async () => {
    const { total, failures, claim, history, audit } = await concurrentVerdicts();
    expect(failures).toEqual([]);
    expect(claim.verdicts).toHaveLength(total + 1);
    expect(history[0]).toMatchObject({ rating: "UNVERIFIED", rationale: null });
    // The current verdict is the newest in the history, and the stored current rating (the verdict filter) agrees.
    expect(claim.verdict).toEqual(claim.verdicts[0]);
    const stored = await (await testPrisma()).claim.findUniqueOrThrow({ where: { id: claim.id } });
    expect(stored.currentRating).toBe(claim.verdict.rating);
    // One RECORD audit row per verdict, in the same order as the history, each with the rating it recorded.
    expect(audit.map((row) => row.action)).toEqual(Array(total).fill("RECORD"));
    expect(audit.map((row) => row.entityId)).toEqual(history.slice(1).map((v) => v.id));
  }, 120_000);

  /*
   * Regression: the audit "before" must be read under the claim's row lock (recordVerdict), not
   * from the claim as loaded before the transaction, or concurrent verdicts audit a stale rating.
   */
  it("10 clients x 5 verdicts on one claim: each audit row's 'before' rating is the rating the previous verdict set", async () => {
    const { failures, history, audit } = await concurrentVerdicts();
    expect(failures).toEqual([]);
    const chain = audit.map((row, i) => {
      const changes = row.changes as { rating?: { before: string; after: string } };
      const recorded = history[i + 1]!.rating;
      // An unchanged rating is not in the diff: then before = after = the rating recorded.
      return { before: changes.rating?.before ?? recorded, after: changes.rating?.after ?? recorded };
    });
    expect(chain.map((link) => link.after)).toEqual(history.slice(1).map((v) => v.rating));
    expect(chain.map((link) => link.before)).toEqual(history.slice(0, -1).map((v) => v.rating));
  }, 120_000);

  /** Takes a lock in a transaction of its own and keeps it until `release()` (which waits for the commit). */
  async function holdLockUntilReleased(takeLock: (tx: Tx) => Promise<unknown>) {
    const prisma = await testPrisma();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const transaction = prisma.$transaction(
      async (tx) => {
        await takeLock(tx);
        locked();
        await released;
      },
      { timeout: 20_000 },
    );
    await isLocked;
    return {
      async release() {
        release();
        await transaction;
      },
    };
  }

  it("an anchor edit racing a body edit: the claim's new anchor is re-located in the new body, never overwritten", async () => {
    const body = "Alpha one. Beta two. Gamma three.";
    const { createArticle } = await gqlOk(CreateArticleDocument, { input: { title: "Anchors under contention", body } });
    const { createClaim } = await gqlOk(CreateClaimDocument, { input: { articleId: createArticle.id, statement: "A claim.", quote: "Alpha one." } });
    const prisma = await testPrisma();

    // Hold the claim's row so that both writes queue behind it, the anchor edit first.
    const holder = await holdLockUntilReleased((tx) => tx.$queryRaw`SELECT id FROM claim WHERE id = ${createClaim.id}::uuid FOR UPDATE`);
    const anchorEdit = gql(UpdateClaimDocument, { input: { id: createClaim.id, expectedVersion: 1, quote: "Beta two." } });
    await lockWaiters(1);
    const newBody = `Breaking. ${body}`;
    const bodyEdit = gql(UpdateArticleDocument, { input: { id: createArticle.id, expectedVersion: 1, body: newBody } });
    await lockWaiters(2);
    await holder.release();
    const [claimResult, articleResult] = await Promise.all([anchorEdit, bodyEdit]);
    expect(claimResult.errors).toBeUndefined();
    expect(articleResult.errors).toBeUndefined();

    // Both edits were accepted, so the claim must stand on "Beta two." (its editor's choice), found again in the new body.
    const stored = await prisma.claim.findUniqueOrThrow({ where: { id: createClaim.id } });
    expect(stored.quote).toBe("Beta two.");
    expect(stored.anchorState).toBe("RELOCATED");
    expect(newBody.slice(stored.anchorStart!, stored.anchorEnd!)).toBe("Beta two.");
    expect(stored.version).toBe(3);
  }, 60_000);

  /*
   * Regression: the anchor must be checked against the body under the article's row lock
   * (`lockArticle(..., "share")`), so that a body edit in flight is waited for, not missed.
   */
  it("an anchor edit checked against a body that is being replaced never ends ANCHORED to text the body no longer has", async () => {
    const filler = "This sentence keeps the first anchor's context.";
    const body = `Alpha one. ${filler} Gamma three.`;
    const newBody = `Alpha one. ${filler}`;
    const { createArticle } = await gqlOk(CreateArticleDocument, { input: { title: "Anchors checked against a moving body", body } });
    const { createClaim } = await gqlOk(CreateClaimDocument, { input: { articleId: createArticle.id, statement: "A claim.", quote: "Alpha one." } });
    const prisma = await testPrisma();

    // Hold back the body edit's audit entry: it then holds the article and its claims, uncommitted.
    const holder = await holdLockUntilReleased((tx) => tx.$executeRawUnsafe(`LOCK TABLE "audit_entry" IN SHARE ROW EXCLUSIVE MODE`));
    const bodyEdit = gql(UpdateArticleDocument, { input: { id: createArticle.id, expectedVersion: 1, body: newBody } });
    await lockWaiters(1);
    // The anchor edit reads the old body (the new one is not committed), which still has "Gamma three.".
    const anchorEdit = gql(UpdateClaimDocument, { input: { id: createClaim.id, expectedVersion: 1, quote: "Gamma three." } });
    await lockWaiters(2);
    await holder.release();
    const [articleResult, claimResult] = await Promise.all([bodyEdit, anchorEdit]);
    expect(articleResult.errors).toBeUndefined();

    const stored = await prisma.claim.findUniqueOrThrow({ where: { id: createClaim.id } });
    const current = (await prisma.article.findUniqueOrThrow({ where: { id: createArticle.id } })).body;
    expect(current).toBe(newBody);
    // Refusing the anchor edit would be right, and so would orphaning it; an ANCHORED claim whose text is gone is not.
    const anchorHolds = stored.anchorState === "ORPHANED" || current.slice(stored.anchorStart!, stored.anchorEnd!) === stored.quote;
    expect({ claimErrors: claimResult.errors?.map((e) => e.extensions?.code), quote: stored.quote, anchorState: stored.anchorState, anchorHolds }).toEqual(
      claimResult.errors ? expect.objectContaining({ quote: "Alpha one.", anchorHolds: true }) : expect.objectContaining({ quote: "Gamma three.", anchorHolds: true }),
    );
  }, 60_000);
});
