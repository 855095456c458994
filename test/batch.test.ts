import { randomUUID } from "node:crypto";
import { BatchArticleTreeDocument, BatchDocument, type BatchOperationInput } from "./generated/operations";
import { gqlAs, gqlOk, gqlOkAs, userFor } from "./support/client";
import { databaseSnapshot, testPrisma } from "./support/environment";
import { failsWithoutChange } from "./support/factories";

const SOURCES: BatchOperationInput[] = [
  { ref: "s-ministry", upsertSource: { externalId: "Q1", kind: "GOVERNMENT", name: "Ministry of Ports" } },
  { ref: "s-wire", upsertSource: { externalId: "Q2", kind: "NEWS_AGENCY", name: "Harbour Wire" } },
  { ref: "s-union", upsertSource: { kind: "ORGANIZATION", name: "Dockworkers' Union" } },
];

/** One article with a claim, two attributions and a verdict: 5 operations. */
function story(n: number, rating: "REFUTED" | "MISLEADING" = "REFUTED"): BatchOperationInput[] {
  return [
    { ref: `a${n}`, upsertArticle: { externalId: `wire:ports-${n}`, title: `Port ${n} doubles its traffic`, body: `Port ${n} handled twice as many ships.` } },
    { ref: `c${n}`, upsertClaim: { articleRef: `a${n}`, position: 0, statement: `Port ${n} doubled its traffic in 2025.`, quote: `Port ${n} handled twice as many ships.` } },
    { attributeClaim: { claimRef: `c${n}`, sourceRef: "s-ministry", role: "CLAIMANT" } },
    { attributeClaim: { claimRef: `c${n}`, sourceRef: "s-wire", role: "CONDUIT", status: "ALLEGED" } },
    { recordVerdict: { claimRef: `c${n}`, rating, rationale: "Port statistics show a 12% rise." } },
  ];
}

/** The 28 calls of issue 11: 3 sources, then 5 articles with a claim, two attributions and a verdict each. */
const SEED: BatchOperationInput[] = [...SOURCES, ...[1, 2, 3, 4, 5].flatMap((n) => story(n))];

describe("batch", () => {
  it("runs the 28 operations of the issue in one call, and a rerun changes nothing (all UNCHANGED)", async () => {
    const { batch } = await gqlOk(BatchDocument, { input: { operations: SEED } });
    expect(batch).toMatchObject({ created: 28, updated: 0, unchanged: 0 });
    expect(batch.results).toHaveLength(28);
    expect(batch.results.map((r) => r.index)).toEqual([...Array(28).keys()]);
    expect(batch.results.slice(0, 5).map((r) => [r.operation, r.ref])).toEqual([
      ["UPSERT_SOURCE", "s-ministry"],
      ["UPSERT_SOURCE", "s-wire"],
      ["UPSERT_SOURCE", "s-union"],
      ["UPSERT_ARTICLE", "a1"],
      ["UPSERT_CLAIM", "c1"],
    ]);

    const { article } = await gqlOk(BatchArticleTreeDocument, { id: batch.results[3]!.id });
    expect(article).toMatchObject({
      externalId: "wire:ports-1",
      version: 1,
      claims: [
        {
          statement: "Port 1 doubled its traffic in 2025.",
          position: 0,
          attributions: expect.arrayContaining([
            { role: "CLAIMANT", status: "ASSERTED", source: { name: "Ministry of Ports" } },
            { role: "CONDUIT", status: "ALLEGED", source: { name: "Harbour Wire" } },
          ]),
          verdict: { rating: "REFUTED", rationale: "Port statistics show a 12% rise." },
        },
      ],
    });
    // Audited as the single mutations are: one entry per write, by the caller.
    const editor = await userFor("EDITOR");
    const prisma = await testPrisma();
    expect(await prisma.auditEntry.count({ where: { actorId: editor.id } })).toBe(28);

    const before = await databaseSnapshot();
    const rerun = (await gqlOk(BatchDocument, { input: { operations: SEED } })).batch;
    expect(rerun).toMatchObject({ created: 0, updated: 0, unchanged: 28 });
    expect(rerun.results.map((r) => r.id)).toEqual(batch.results.map((r) => r.id));
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("updates only what changed on a rerun with an edited record", async () => {
    const { batch } = await gqlOk(BatchDocument, { input: { operations: [...SOURCES, ...story(1)] } });
    const edited = [...SOURCES, ...story(1, "MISLEADING")];
    edited[4] = { ...edited[4]!, upsertClaim: { ...edited[4]!.upsertClaim!, statement: "Port 1 nearly doubled its traffic in 2025." } };
    const rerun = (await gqlOk(BatchDocument, { input: { operations: edited } })).batch;
    expect(rerun.results.map((r) => r.outcome)).toEqual(["UNCHANGED", "UNCHANGED", "UNCHANGED", "UNCHANGED", "UPDATED", "UNCHANGED", "UNCHANGED", "CREATED"]);
    const { article } = await gqlOk(BatchArticleTreeDocument, { id: batch.results[3]!.id });
    expect(article!.claims[0]).toMatchObject({ statement: "Port 1 nearly doubled its traffic in 2025.", version: 2, verdict: { rating: "MISLEADING" } });
  });

  it("is all or nothing: a bad 5th operation writes nothing and names index 4", async () => {
    const operations = [...SOURCES.slice(0, 2), ...story(1).slice(0, 2), { recordVerdict: { claimRef: "c1", rating: "REFUTED" as const, reviewUrl: "not a url" } }];
    const error = await failsWithoutChange(() => gqlAs("EDITOR", BatchDocument, { input: { operations } }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", operationIndex: 4, field: "input.reviewUrl" });

    // A failure found by the database work (an unknown article), after four writes.
    const missing = [...SOURCES.slice(0, 2), ...story(1).slice(0, 2), { upsertClaim: { articleId: randomUUID(), position: 0, statement: "Nowhere." } }];
    const notFound = await failsWithoutChange(() => gqlAs("EDITOR", BatchDocument, { input: { operations: missing } }));
    expect(notFound.extensions).toMatchObject({ code: "NOT_FOUND", operationIndex: 4 });

    // A duplicate key inside the batch: the second article takes the first one's slug.
    const duplicate = [
      { upsertArticle: { externalId: "wire:x", slug: "same-slug", title: "X" } },
      { upsertArticle: { externalId: "wire:y", slug: "same-slug", title: "Y" } },
    ];
    const conflict = await failsWithoutChange(() => gqlAs("EDITOR", BatchDocument, { input: { operations: duplicate } }));
    expect(conflict.extensions).toMatchObject({ code: "CONFLICT", operationIndex: 1 });
  });

  it("takes at most 100 operations", async () => {
    const sources = (count: number): BatchOperationInput[] =>
      Array.from({ length: count }, (_, i) => ({ upsertSource: { externalId: `bulk:${i}`, kind: "PERSON" as const, name: `Person ${i}` } }));
    const tooMany = await failsWithoutChange(() => gqlAs("EDITOR", BatchDocument, { input: { operations: sources(101) } }));
    expect(tooMany.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.operations" });
    const none = await failsWithoutChange(() => gqlAs("EDITOR", BatchDocument, { input: { operations: [] } }));
    expect(none.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    expect((await gqlOk(BatchDocument, { input: { operations: sources(100) } })).batch.created).toBe(100);
  });

  it("refuses malformed operations and references, naming the operation", async () => {
    const cases: Array<[BatchOperationInput[], number, string]> = [
      [[{ upsertSource: SOURCES[0]!.upsertSource, upsertArticle: { slug: "x", title: "X" } }], 0, "input.operations.0."],
      [[{}], 0, "input.operations.0."],
      [[SOURCES[0]!, { ...SOURCES[1]!, ref: "s-ministry" }], 1, "input.operations.1.ref"],
      [[{ upsertClaim: { articleRef: "nope", position: 0, statement: "S" } }], 0, "input.operations.0.upsertClaim.articleRef"],
      [[SOURCES[0]!, { upsertClaim: { articleRef: "s-ministry", position: 0, statement: "S" } }], 1, "input.operations.1.upsertClaim.articleRef"],
      [[{ upsertClaim: { articleId: randomUUID(), articleRef: "a1", position: 0, statement: "S" } }], 0, "input.operations.0.upsertClaim.articleId"],
      // A reference to a LATER operation.
      [[...story(1).slice(1, 2), ...story(1).slice(0, 1)], 0, "input.operations.0.upsertClaim.articleRef"],
    ];
    for (const [operations, operationIndex, field] of cases) {
      const error = await failsWithoutChange(() => gqlAs("EDITOR", BatchDocument, { input: { operations } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", operationIndex, field });
    }
  });

  it("applies each operation's permissions: anonymous, REPORTER and FACT_CHECKER", async () => {
    const anonymous = await failsWithoutChange(() => gqlAs(null, BatchDocument, { input: { operations: SEED } }));
    expect(anonymous.extensions?.code).toBe("UNAUTHENTICATED");

    // A reporter may seed their own draft with claims and attributions, but not record verdicts.
    const reporterSeed = [...SOURCES, ...story(1).slice(0, 4)];
    expect((await gqlOkAs("REPORTER", BatchDocument, { input: { operations: reporterSeed } })).batch.created).toBe(7);
    const verdict = await failsWithoutChange(() => gqlAs("REPORTER", BatchDocument, { input: { operations: [...SOURCES, ...story(1)] } }));
    expect(verdict.extensions).toMatchObject({ code: "FORBIDDEN", operationIndex: 7 });

    // A fact-checker may not create articles, but may record verdicts on existing claims.
    const checker = await failsWithoutChange(() => gqlAs("FACT_CHECKER", BatchDocument, { input: { operations: [...SOURCES, ...story(2)] } }));
    expect(checker.extensions).toMatchObject({ code: "FORBIDDEN", operationIndex: 3 });
    const claimId = (await gqlOk(BatchDocument, { input: { operations: [...SOURCES, ...story(3)] } })).batch.results[4]!.id;
    const checked = await gqlOkAs("FACT_CHECKER", BatchDocument, { input: { operations: [{ recordVerdict: { claimId, rating: "MISLEADING", rationale: "Rose 12%." } }] } });
    expect(checked.batch.results[0]).toMatchObject({ outcome: "CREATED", operation: "RECORD_VERDICT" });

    // An editor's article is not the reporter's: even an unchanged claim is refused.
    const others = await failsWithoutChange(() => gqlAs("REPORTER", BatchDocument, { input: { operations: story(3).slice(0, 2) } }));
    expect(others.extensions).toMatchObject({ code: "FORBIDDEN", operationIndex: 0 });
  });
});
