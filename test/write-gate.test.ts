import type { Tx } from "../src/db/prisma";
import {
  AttributeClaimDocument,
  AttributeClaimsDocument,
  CreateArticleDocument,
  CreateClaimDocument,
  CreateRebuttalDocument,
  CreateSourceDocument,
  DeleteArticleDocument,
  DeleteClaimDocument,
  DeleteRebuttalDocument,
  RemoveAttributionDocument,
  SubmitArticleDocument,
  UpdateArticleDocument,
  UpdateAttributionDocument,
  UpdateClaimDocument,
  UpdateRebuttalDocument,
} from "./generated/operations";
import { gqlAs, gqlOkAs, onlyError, userFor, type GqlResult } from "./support/client";
import { databaseSnapshot, testPrisma } from "./support/environment";
import { lockWaiters } from "./support/locks";

/*
 * The policy is decided on the rows as they are under the lock, not as they were read before the
 * write began. Each case: a REPORTER's write on their own DRAFT starts while another transaction
 * holds the article row; that transaction then submits the article (status) or hands it to an
 * editor (owner) and commits; only then does the reporter's write get the lock. It must be refused
 * as if it had started after the change, and leave everything as the change left it.
 */

interface Fixture {
  articleId: string;
  claimId: string;
  sourceId: string;
  attributionId: string;
  rebuttalId: string;
}

async function reporterDraft(): Promise<Fixture> {
  const body = "The minister said unemployment fell by 3% last year.";
  const { createArticle } = await gqlOkAs("REPORTER", CreateArticleDocument, { input: { title: "Gate draft", body } });
  const { createSource } = await gqlOkAs("REPORTER", CreateSourceDocument, { input: { kind: "PERSON", name: "The minister" } });
  const { createClaim } = await gqlOkAs("REPORTER", CreateClaimDocument, {
    input: { articleId: createArticle.id, statement: "Unemployment fell by 3%.", quote: "unemployment fell" },
  });
  const { attributeClaim } = await gqlOkAs("REPORTER", AttributeClaimDocument, {
    input: { claimId: createClaim.id, sourceId: createSource.id, role: "CLAIMANT" },
  });
  const { createRebuttal } = await gqlOkAs("REPORTER", CreateRebuttalDocument, {
    input: { sourceId: createSource.id, claimIds: [createClaim.id], stance: "DISPUTES", text: "The statistics office disagrees." },
  });
  return { articleId: createArticle.id, claimId: createClaim.id, sourceId: createSource.id, attributionId: attributeClaim.id, rebuttalId: createRebuttal.id };
}

/** Holds the article row FOR UPDATE in a transaction of its own until `commit(change)` runs `change` in it and commits. */
async function holdArticle(articleId: string) {
  const prisma = await testPrisma();
  let commit!: (change: (tx: Tx) => Promise<unknown>) => void;
  const changeToMake = new Promise<(tx: Tx) => Promise<unknown>>((resolve) => (commit = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM article WHERE id = ${articleId}::uuid FOR UPDATE`;
      locked();
      await (await changeToMake)(tx);
    },
    { timeout: 20_000 },
  );
  await isLocked;
  return {
    async commit(change: (tx: Tx) => Promise<unknown>) {
      commit(change);
      await transaction;
    },
  };
}

type Change = "submitted" | "handed to an editor";

async function changeArticle(tx: Tx, articleId: string, change: Change) {
  const data = change === "submitted" ? { status: "IN_REVIEW" as const } : { createdById: (await userFor("EDITOR")).id };
  await tx.article.update({ where: { id: articleId }, data: { ...data, version: { increment: 1 } } });
}

/** The reporter's writes, each on their own draft, each allowed while it stays their DRAFT. */
const WRITES: Record<string, (f: Fixture) => Promise<GqlResult<unknown>>> = {
  createClaim: (f) => gqlAs("REPORTER", CreateClaimDocument, { input: { articleId: f.articleId, statement: "A second claim." } }),
  updateClaim: (f) => gqlAs("REPORTER", UpdateClaimDocument, { input: { id: f.claimId, expectedVersion: 1, statement: "Reworded." } }),
  deleteClaim: (f) => gqlAs("REPORTER", DeleteClaimDocument, { input: { id: f.claimId, expectedVersion: 1 } }),
  attributeClaim: (f) => gqlAs("REPORTER", AttributeClaimDocument, { input: { claimId: f.claimId, sourceId: f.sourceId, role: "CONDUIT" } }),
  attributeClaims: (f) => gqlAs("REPORTER", AttributeClaimsDocument, { input: { claimIds: [f.claimId], chain: [{ sourceId: f.sourceId, role: "CONDUIT" }] } }),
  updateAttribution: (f) => gqlAs("REPORTER", UpdateAttributionDocument, { input: { id: f.attributionId, expectedVersion: 1, quote: "fell by 3%" } }),
  removeAttribution: (f) => gqlAs("REPORTER", RemoveAttributionDocument, { input: { id: f.attributionId, expectedVersion: 1 } }),
  createRebuttal: (f) =>
    gqlAs("REPORTER", CreateRebuttalDocument, { input: { sourceId: f.sourceId, claimIds: [f.claimId], stance: "CORRECTS", text: "A correction." } }),
  updateRebuttal: (f) => gqlAs("REPORTER", UpdateRebuttalDocument, { input: { id: f.rebuttalId, expectedVersion: 1, text: "Reworded." } }),
  deleteRebuttal: (f) => gqlAs("REPORTER", DeleteRebuttalDocument, { input: { id: f.rebuttalId, expectedVersion: 1 } }),
  updateArticle: (f) => gqlAs("REPORTER", UpdateArticleDocument, { input: { id: f.articleId, expectedVersion: 1, title: "Retitled" } }),
  deleteArticle: (f) => gqlAs("REPORTER", DeleteArticleDocument, { input: { id: f.articleId, expectedVersion: 1 } }),
};

const CASES: Array<[string, Change]> = Object.keys(WRITES).flatMap((name) => [
  [name, "submitted"] as [string, Change],
  [name, "handed to an editor"] as [string, Change],
]);

describe("the write gate authorises against the locked article", () => {
  it.each(CASES)("a REPORTER's %s that reaches the lock after their DRAFT was %s is FORBIDDEN and changes nothing", async (name, change) => {
    const fixture = await reporterDraft();
    const prisma = await testPrisma();
    const articleBefore = await prisma.article.findUniqueOrThrow({ where: { id: fixture.articleId } });

    const holder = await holdArticle(fixture.articleId);
    const write = WRITES[name]!(fixture);
    await lockWaiters(1); // the reporter's write is queued behind the held article row
    await holder.commit((tx) => changeArticle(tx, fixture.articleId, change));
    const snapshot = await databaseSnapshot(); // everything as the change left it
    const result = await write;

    expect(onlyError(result).extensions?.code).toBe("FORBIDDEN");
    expect(result.data).toBeNull();
    expect(await databaseSnapshot()).toEqual(snapshot);
    // The snapshot is the change itself and nothing else: the article moved one version, by the change only.
    const articleAfter = await prisma.article.findUniqueOrThrow({ where: { id: fixture.articleId } });
    expect(articleAfter.version).toBe(articleBefore.version + 1);
    expect({ status: articleAfter.status, createdById: articleAfter.createdById }).toEqual(
      change === "submitted"
        ? { status: "IN_REVIEW", createdById: articleBefore.createdById }
        : { status: "DRAFT", createdById: (await userFor("EDITOR")).id },
    );
  }, 60_000);

  it("a REPORTER's submit that reaches the lock after the article was handed to an editor is FORBIDDEN", async () => {
    const fixture = await reporterDraft();
    const holder = await holdArticle(fixture.articleId);
    const submit = gqlAs("REPORTER", SubmitArticleDocument, { input: { id: fixture.articleId, expectedVersion: 1 } });
    await lockWaiters(1);
    await holder.commit((tx) => changeArticle(tx, fixture.articleId, "handed to an editor"));
    const snapshot = await databaseSnapshot();
    expect(onlyError(await submit).extensions?.code).toBe("FORBIDDEN");
    expect(await databaseSnapshot()).toEqual(snapshot);
  }, 60_000);

  /* The control: the same queueing with a change the policy does not care about lets the write through. */
  it.each(Object.keys(WRITES))(
    "a REPORTER's %s queued behind an unrelated change of their DRAFT goes through once the lock is free",
    async (name) => {
      const fixture = await reporterDraft();
      const holder = await holdArticle(fixture.articleId);
      const write = WRITES[name]!(fixture);
      await lockWaiters(1);
      await holder.commit((tx) => tx.article.update({ where: { id: fixture.articleId }, data: { summary: "Edited meanwhile." } }));
      const result = await write;
      expect(result.errors).toBeUndefined();
      const audited = await (await testPrisma()).auditEntry.count({ where: { articleId: fixture.articleId, actorId: (await userFor("REPORTER")).id } });
      // The fixture's four writes on the article (a source belongs to none), then this one.
      expect(audited).toBe(5);
    },
    60_000,
  );
});
