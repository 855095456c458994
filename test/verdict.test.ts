import {
  ClaimsDocument,
  ClaimVerdictsDocument,
  DeleteArticleDocument,
  DeleteClaimDocument,
  RecordVerdictDocument,
  VerdictAfterArticleReadDocument,
  type VerdictRating,
} from "./generated/operations";
import { gql, gqlOk, onlyError } from "./support/client";
import { createArticle, createClaim } from "./support/factories";
import { databaseSnapshot, testPrisma } from "./support/environment";

const BODY = "US officials say so.";

async function record(claimId: string, rating: VerdictRating, rationale?: string) {
  return (await gqlOk(RecordVerdictDocument, { input: { claimId, rating, rationale } })).recordVerdict;
}

async function verdictsOf(claimId: string) {
  const { claim } = await gqlOk(ClaimVerdictsDocument, { id: claimId });
  return claim!;
}

async function claimIdsWithVerdict(rating: VerdictRating) {
  const { claims } = await gqlOk(ClaimsDocument, { filter: { verdict: [rating] } });
  return claims.edges.map((edge) => edge.node.id).sort();
}

describe("recordVerdict", () => {
  it("appends to the history: newest first, the latest is the current verdict, and the verdict filter follows it", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "China supplies Russia." });
    const other = await createClaim({ articleId: article.id, statement: "Another claim." });
    const initial = (await verdictsOf(claim.id)).verdict;
    expect(initial.rating).toBe("UNVERIFIED");

    const supported = await record(claim.id, "SUPPORTED", "Trade data for 2023 bears it out.");
    expect(supported).toMatchObject({ rating: "SUPPORTED", rationale: "Trade data for 2023 bears it out.", claim: { id: claim.id } });
    let read = await verdictsOf(claim.id);
    expect(read.verdict).toEqual(supported);
    expect(read.verdicts.map((v) => v.id)).toEqual([supported.id, initial.id]);
    expect(await claimIdsWithVerdict("SUPPORTED")).toEqual([claim.id]);
    expect(await claimIdsWithVerdict("UNVERIFIED")).toEqual([other.id]);

    const refuted = await record(claim.id, "REFUTED", "New customs records contradict it.");
    read = await verdictsOf(claim.id);
    expect(read.verdict).toEqual(refuted);
    expect(read.verdicts.map((v) => [v.rating, v.rationale])).toEqual([
      ["REFUTED", "New customs records contradict it."],
      ["SUPPORTED", "Trade data for 2023 bears it out."],
      ["UNVERIFIED", null],
    ]);
    // The earlier entries are unchanged.
    expect(read.verdicts[1]).toEqual(supported);
    expect(read.verdicts[2]).toEqual(initial);
    expect(await claimIdsWithVerdict("SUPPORTED")).toEqual([]);
    expect(await claimIdsWithVerdict("REFUTED")).toEqual([claim.id]);
    expect((await verdictsOf(other.id)).verdicts).toHaveLength(1);

    // Back to a rating the claim had before: still a new entry, and the filter follows.
    await record(claim.id, "UNVERIFIED");
    expect(await claimIdsWithVerdict("UNVERIFIED")).toEqual([claim.id, other.id].sort());
    expect((await verdictsOf(claim.id)).verdicts.map((v) => v.rating)).toEqual(["UNVERIFIED", "REFUTED", "SUPPORTED", "UNVERIFIED"]);
  });

  it("stores the rationale in the history row, trimmed, and an empty one as null", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "China supplies Russia." });
    const withRationale = await record(claim.id, "MISLEADING", "  Accurate number, wrong year.  ");
    const blank = await record(claim.id, "DISPUTED", "   ");
    expect(withRationale.rationale).toBe("Accurate number, wrong year.");
    expect(blank.rationale).toBeNull();
    const prisma = await testPrisma();
    const rows = await prisma.verdict.findMany({ where: { claimId: claim.id }, orderBy: { sequence: "asc" } });
    expect(rows.map((row) => [row.rating, row.rationale])).toEqual([
      ["UNVERIFIED", null],
      ["MISLEADING", "Accurate number, wrong year."],
      ["DISPUTED", null],
    ]);
    expect((await prisma.claim.findUniqueOrThrow({ where: { id: claim.id } })).currentRating).toBe("DISPUTED");
  });

  it("keeps the current verdict equal to the newest history entry under concurrent verdicts", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "China supplies Russia." });
    const ratings: VerdictRating[] = ["SUPPORTED", "REFUTED", "DISPUTED", "MISLEADING", "UNPROVABLE", "MOSTLY_SUPPORTED", "SUPPORTED", "REFUTED"];
    await Promise.all(ratings.map((rating) => record(claim.id, rating)));
    const read = await verdictsOf(claim.id);
    expect(read.verdicts).toHaveLength(ratings.length + 1);
    expect(read.verdict).toEqual(read.verdicts[0]);
    expect(await claimIdsWithVerdict(read.verdict.rating)).toEqual([claim.id]);
  });
});

describe("a mutation operation that writes after it has read", () => {
  it("reads the new verdict, not what the request had loaded before the write", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "China supplies Russia." });
    const { first, second } = await gqlOk(VerdictAfterArticleReadDocument, {
      articleInput: { id: article.id, expectedVersion: article.version, title: "A new headline" },
      verdictInput: { claimId: claim.id, rating: "REFUTED" },
    });
    expect(first.claims.map((c) => c.verdict.rating)).toEqual(["UNVERIFIED"]);
    expect(second).toEqual({ rating: "REFUTED", claim: { verdict: { rating: "REFUTED" } } });
  });
});

describe("recordVerdict with bad input changes nothing", () => {
  const UNKNOWN_ID = "3c59dc04-8e4a-4a3b-9d7e-2b2a5a1e8c77";
  const cases: Array<{ name: string; input: (claimId: string) => { claimId: string; rating: VerdictRating; rationale?: string }; code: string; expected: string[] }> = [
    { name: "an unknown claim (NOT_FOUND)", input: () => ({ claimId: UNKNOWN_ID, rating: "REFUTED" }), code: "NOT_FOUND", expected: ["Claim", UNKNOWN_ID, "input.claimId"] },
    { name: "a malformed claim id", input: () => ({ claimId: "claim-1", rating: "REFUTED" }), code: "BAD_USER_INPUT", expected: ["input.claimId", "must be a valid id"] },
    {
      name: "a rationale of 5001 characters",
      input: (claimId) => ({ claimId, rating: "REFUTED", rationale: "r".repeat(5001) }),
      code: "BAD_USER_INPUT",
      expected: ["input.rationale", "at most 5000 characters"],
    },
    {
      name: "a rating that is not a VerdictRating (variable coercion)",
      input: (claimId) => ({ claimId, rating: "FALSE" as never }),
      code: "BAD_USER_INPUT",
      expected: ["FALSE", "VerdictRating"],
    },
  ];

  it.each(cases)("refuses $name", async ({ input, code, expected }) => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "China supplies Russia." });
    await record(claim.id, "SUPPORTED", "before");
    const before = await databaseSnapshot();
    const error = onlyError(await gql(RecordVerdictDocument, { input: input(claim.id) }));
    expect(error.extensions?.code).toBe(code);
    for (const text of expected) expect(error.message).toContain(text);
    expect(await databaseSnapshot()).toEqual(before);
    expect((await verdictsOf(claim.id)).verdict.rating).toBe("SUPPORTED");
  });
});

describe("verdict history is append-only in the database", () => {
  it("refuses a raw UPDATE and a raw DELETE of verdict rows", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "China supplies Russia." });
    const refuted = await record(claim.id, "REFUTED", "original rationale");
    const prisma = await testPrisma();
    const before = await databaseSnapshot();
    await expect(prisma.$executeRawUnsafe(`UPDATE verdict SET rationale = 'rewritten' WHERE id = '${refuted.id}'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`UPDATE verdict SET rating = 'SUPPORTED'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM verdict WHERE id = '${refuted.id}'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM verdict`)).rejects.toThrow(/append-only/);
    await expect(prisma.verdict.deleteMany({ where: { claimId: claim.id } })).rejects.toThrow(/append-only/);
    expect(await databaseSnapshot()).toEqual(before);
    expect((await verdictsOf(claim.id)).verdict).toMatchObject({ id: refuted.id, rationale: "original rationale" });
  });

  it("still removes a claim's verdicts when the claim is deleted, directly or with its article", async () => {
    const article = await createArticle({ body: BODY });
    const doomed = await createClaim({ articleId: article.id, statement: "doomed" });
    const kept = await createClaim({ articleId: article.id, statement: "kept" });
    await record(doomed.id, "REFUTED");
    await record(kept.id, "SUPPORTED");
    const prisma = await testPrisma();
    await gqlOk(DeleteClaimDocument, { input: { id: doomed.id, expectedVersion: 1 } });
    expect(await prisma.verdict.count({ where: { claimId: doomed.id } })).toBe(0);
    expect(await prisma.verdict.count({ where: { claimId: kept.id } })).toBe(2);

    await gqlOk(DeleteArticleDocument, { input: { id: article.id, expectedVersion: 1 } });
    expect(await prisma.claim.count()).toBe(0);
    expect(await prisma.verdict.count()).toBe(0);
  });
});
