import {
  ArticleClaimsDocument,
  ClaimByIdDocument,
  ClaimsDocument,
  CreateClaimDocument,
  CreateRebuttalDocument,
  DeleteClaimDocument,
  RecordVerdictDocument,
  UpdateArticleDocument,
  UpdateClaimDocument,
  type CreateClaimInput,
} from "./generated/operations";
import { gql, gqlOk, onlyError } from "./support/client";
import { attribute, createArticle, createClaim, createSource } from "./support/factories";
import { databaseSnapshot, testPrisma } from "./support/environment";

const BODY =
  "US officials say China supplied 90% of Russia's microelectronics imports in 2023. " +
  "Beijing denies any role in the war. The officials spoke on condition of anonymity.";

const CONTEXT = 32;

/** Where the server expects an anchor for `exact` at `start` in `body`. */
function expectedAnchor(body: string, exact: string, start = body.indexOf(exact)) {
  const end = start + exact.length;
  return { start, end, exact, prefix: body.slice(Math.max(0, start - CONTEXT), start), suffix: body.slice(end, end + CONTEXT) };
}

/** The anchor state, as the API shows it; checked against the stored column. */
async function anchorState(claimId: string) {
  const shown = (await gqlOk(ClaimByIdDocument, { id: claimId })).claim!.anchorState;
  const prisma = await testPrisma();
  expect((await prisma.claim.findUniqueOrThrow({ where: { id: claimId }, select: { anchorState: true } })).anchorState).toBe(shown);
  return shown;
}

async function readClaim(id: string) {
  return (await gqlOk(ClaimByIdDocument, { id })).claim;
}

describe("createClaim", () => {
  it("with a quote alone finds it once in the body and anchors it with its context", async () => {
    const article = await createArticle({ body: BODY });
    const quote = "Beijing denies any role in the war.";
    const claim = await createClaim({ articleId: article.id, statement: "China denies supplying Russia's war effort.", quote });
    expect(claim).toMatchObject({
      statement: "China denies supplying Russia's war effort.",
      kind: "FACTUAL",
      quote,
      anchor: expectedAnchor(BODY, quote),
      quantity: null,
      position: 0,
      version: 1,
      article: { id: article.id },
    });
    expect(BODY.slice(claim.anchor!.start, claim.anchor!.end)).toBe(quote);
    expect(claim.anchor!.prefix).toHaveLength(CONTEXT);
    expect(await anchorState(claim.id)).toBe("ANCHORED");
  });

  it("starts with the verdict UNVERIFIED, alone in its history", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "A claim." });
    expect(claim.verdict).toMatchObject({ rating: "UNVERIFIED", rationale: null });
    expect(claim.verdicts).toEqual([claim.verdict]);
    expect(claim.anchor).toBeNull();
    expect(claim.quote).toBeNull();
    expect(await anchorState(claim.id)).toBeNull();
  });

  it("with anchor offsets checks the exact text there and takes the quote from it", async () => {
    const article = await createArticle({ body: BODY });
    const exact = "officials";
    const start = BODY.lastIndexOf(exact); // occurs twice: the offsets say which
    const claim = await createClaim({ articleId: article.id, statement: "The officials were anonymous.", anchor: { start, end: start + exact.length, exact } });
    expect(claim.quote).toBe(exact);
    expect(claim.anchor).toEqual(expectedAnchor(BODY, exact, start));
    expect(claim.anchor!.suffix.startsWith(" spoke on condition")).toBe(true);
  });

  it("stores the quantity of a QUANTITATIVE claim", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({
      articleId: article.id,
      statement: "China supplied 90% of Russia's microelectronics imports in 2023.",
      kind: "QUANTITATIVE",
      quote: "90% of Russia's microelectronics imports",
      quantity: { value: 90, unit: "%", subject: "Russia's microelectronics imports", period: "2023" },
    });
    expect(claim.kind).toBe("QUANTITATIVE");
    expect(claim.quantity).toEqual({ value: 90, unit: "%", subject: "Russia's microelectronics imports", period: "2023" });
    const stored = await (await testPrisma()).claim.findUniqueOrThrow({ where: { id: claim.id } });
    expect(stored).toMatchObject({ quantityValue: 90, quantityUnit: "%", quantitySubject: "Russia's microelectronics imports", quantityPeriod: "2023" });
  });

  it("places a claim after the last one of its article unless a position is given", async () => {
    const article = await createArticle({ body: BODY });
    const other = await createArticle({ title: "Other", body: "Other body." });
    const a = await createClaim({ articleId: article.id, statement: "first" });
    const b = await createClaim({ articleId: article.id, statement: "second" });
    const elsewhere = await createClaim({ articleId: other.id, statement: "in another article" });
    const c = await createClaim({ articleId: article.id, statement: "explicit", position: 7 });
    const d = await createClaim({ articleId: article.id, statement: "after explicit" });
    expect([a.position, b.position, c.position, d.position]).toEqual([0, 1, 7, 8]);
    expect(elsewhere.position).toBe(0);
    const { article: read } = await gqlOk(ArticleClaimsDocument, { id: article.id });
    expect(read!.claims.map((claim) => claim.statement)).toEqual(["first", "second", "explicit", "after explicit"]);
  });
});

describe("createClaim with bad input changes nothing", () => {
  const UNKNOWN_ID = "8f14e45f-ceea-467f-a0e6-2b1d8a0c0b11";
  const longStatement = "x".repeat(1001);
  const officials = BODY.indexOf("officials");
  const cases: Array<{ name: string; input: (articleId: string) => CreateClaimInput; code: string; expected: string[] }> = [
    {
      name: "an unknown articleId (NOT_FOUND)",
      input: () => ({ articleId: UNKNOWN_ID, statement: "s" }),
      code: "NOT_FOUND",
      expected: ["Article", UNKNOWN_ID, "input.articleId"],
    },
    {
      name: "a malformed articleId",
      input: () => ({ articleId: "not-a-uuid", statement: "s" }),
      code: "BAD_USER_INPUT",
      expected: ["input.articleId", "must be a valid id"],
    },
    {
      name: "an anchor whose exact text is not at its offsets",
      input: (articleId) => ({ articleId, statement: "s", anchor: { start: officials, end: officials + 9, exact: "diplomats" } }),
      code: "BAD_USER_INPUT",
      expected: ["input.anchor", "does not match the article body", '"officials"'],
    },
    {
      name: "an anchor past the end of the body",
      input: (articleId) => ({ articleId, statement: "s", anchor: { start: BODY.length - 2, end: BODY.length + 5, exact: "y.xxxxx" } }),
      code: "BAD_USER_INPUT",
      expected: ["input.anchor", "outside the article body"],
    },
    {
      name: "an anchor with a negative start",
      input: (articleId) => ({ articleId, statement: "s", anchor: { start: -1, end: 3, exact: "US " } }),
      code: "BAD_USER_INPUT",
      expected: ["input.anchor.start", "must not be negative"],
    },
    {
      name: "a quote that is not in the body",
      input: (articleId) => ({ articleId, statement: "s", quote: "Moscow denies any role" }),
      code: "BAD_USER_INPUT",
      expected: ["input.quote", "does not appear in the article body"],
    },
    {
      name: "a quote that occurs twice in the body",
      input: (articleId) => ({ articleId, statement: "s", quote: "officials" }),
      code: "BAD_USER_INPUT",
      expected: ["input.quote", "appears 2 times"],
    },
    {
      name: "an empty statement",
      input: (articleId) => ({ articleId, statement: "   " }),
      code: "BAD_USER_INPUT",
      expected: ["input.statement", "must not be empty"],
    },
    {
      name: "a statement of 1001 characters",
      input: (articleId) => ({ articleId, statement: longStatement }),
      code: "BAD_USER_INPUT",
      expected: ["input.statement", "at most 1000 characters"],
    },
    {
      name: "a quantity on a FACTUAL claim",
      input: (articleId) => ({ articleId, statement: "s", kind: "FACTUAL", quantity: { value: 90, unit: "%" } }),
      code: "BAD_USER_INPUT",
      expected: ["input.quantity", "only for QUANTITATIVE"],
    },
    {
      name: "a QUANTITATIVE claim without quantity",
      input: (articleId) => ({ articleId, statement: "s", kind: "QUANTITATIVE" }),
      code: "BAD_USER_INPUT",
      expected: ["input.quantity", "is required"],
    },
    {
      name: "a kind that is not a ClaimKind (variable coercion)",
      input: (articleId) => ({ articleId, statement: "s", kind: "OPINION" as never }),
      code: "BAD_USER_INPUT",
      expected: ["OPINION", "ClaimKind"],
    },
  ];

  it.each(cases)("refuses $name", async ({ input, code, expected }) => {
    const article = await createArticle({ body: BODY });
    await createClaim({ articleId: article.id, statement: "An existing claim.", quote: "Beijing denies" });
    const before = await databaseSnapshot();
    const error = onlyError(await gql(CreateClaimDocument, { input: input(article.id) }));
    expect(error.extensions?.code).toBe(code);
    for (const text of expected) expect(error.message).toContain(text);
    expect(await databaseSnapshot()).toEqual(before);
  });
});

describe("reading claims", () => {
  it("claim(id) answers null for an unknown or malformed id, and resolves the article", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "s" });
    expect((await gqlOk(ClaimByIdDocument, { id: "8f14e45f-ceea-467f-a0e6-2b1d8a0c0b11" })).claim).toBeNull();
    expect((await gqlOk(ClaimByIdDocument, { id: "nope" })).claim).toBeNull();
    const read = await readClaim(claim.id);
    expect(read).toMatchObject({ id: claim.id, statement: "s", article: { id: article.id, title: article.title } });
  });

  it("filters claims by article, verdict, kind and source", async () => {
    const first = await createArticle({ body: BODY });
    const second = await createArticle({ title: "Another", body: "Another text." });
    const factual = await createClaim({ articleId: first.id, statement: "factual" });
    const quantitative = await createClaim({ articleId: first.id, statement: "quantitative", kind: "QUANTITATIVE", quantity: { value: 90, unit: "%" } });
    const event = await createClaim({ articleId: second.id, statement: "event", kind: "EVENT" });
    const prediction = await createClaim({ articleId: second.id, statement: "prediction", kind: "PREDICTION" });
    await gqlOk(RecordVerdictDocument, { input: { claimId: quantitative.id, rating: "SUPPORTED" } });
    await gqlOk(RecordVerdictDocument, { input: { claimId: event.id, rating: "REFUTED" } });
    await gqlOk(RecordVerdictDocument, { input: { claimId: event.id, rating: "DISPUTED" } }); // the latest counts
    const officials = await createSource("US officials", "UNNAMED_GROUP");
    const reuters = await createSource("Reuters", "NEWS_AGENCY");
    await attribute({ claimId: factual.id, sourceId: officials.id, role: "CLAIMANT" });
    await attribute({ claimId: factual.id, sourceId: reuters.id, role: "CONDUIT" });
    await attribute({ claimId: prediction.id, sourceId: officials.id, role: "CLAIMANT" });

    const statements = async (filter: object) => {
      const { claims } = await gqlOk(ClaimsDocument, { filter });
      expect(claims.totalCount).toBe(claims.edges.length);
      return claims.edges.map((edge) => edge.node.statement).sort();
    };
    expect(await statements({})).toEqual(["event", "factual", "prediction", "quantitative"]);
    expect(await statements({ articleId: first.id })).toEqual(["factual", "quantitative"]);
    expect(await statements({ articleId: second.id })).toEqual(["event", "prediction"]);
    expect(await statements({ verdict: ["UNVERIFIED"] })).toEqual(["factual", "prediction"]);
    expect(await statements({ verdict: ["DISPUTED", "SUPPORTED"] })).toEqual(["event", "quantitative"]);
    expect(await statements({ verdict: ["REFUTED"] })).toEqual([]);
    expect(await statements({ kind: ["QUANTITATIVE", "EVENT"] })).toEqual(["event", "quantitative"]);
    expect(await statements({ kind: ["ASSESSMENT"] })).toEqual([]);
    expect(await statements({ sourceId: officials.id })).toEqual(["factual", "prediction"]);
    expect(await statements({ sourceId: reuters.id })).toEqual(["factual"]);
    expect(await statements({ sourceId: officials.id, articleId: second.id })).toEqual(["prediction"]);
    expect(await statements({ kind: ["FACTUAL", "PREDICTION"], verdict: ["UNVERIFIED"], articleId: first.id })).toEqual(["factual"]);

    const error = onlyError(await gql(ClaimsDocument, { filter: { sourceId: "not-a-uuid" } }));
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.message).toContain("filter.sourceId");
  });

  it("pages with first/after, counting every claim and telling whether more follow", async () => {
    const article = await createArticle({ body: BODY });
    for (let i = 0; i < 5; i++) await createClaim({ articleId: article.id, statement: `claim ${i}` });
    const all = (await gqlOk(ClaimsDocument, { first: 100 })).claims;
    expect(all.totalCount).toBe(5);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const order = all.edges.map((edge) => edge.node.id);

    const seen: string[] = [];
    const hasNext: boolean[] = [];
    let after: string | null | undefined;
    do {
      const { claims } = await gqlOk(ClaimsDocument, { first: 2, after });
      expect(claims.totalCount).toBe(5);
      expect(claims.edges.length).toBeLessThanOrEqual(2);
      expect(claims.pageInfo.hasPreviousPage).toBe(after != null);
      seen.push(...claims.edges.map((edge) => edge.node.id));
      hasNext.push(claims.pageInfo.hasNextPage);
      expect(claims.pageInfo.endCursor).toBe(claims.edges[claims.edges.length - 1]?.cursor ?? null);
      after = claims.pageInfo.hasNextPage ? claims.pageInfo.endCursor : undefined;
    } while (after);
    expect(seen).toEqual(order);
    expect(hasNext).toEqual([true, true, false]);

    // A claim created later does not shift the pages after an existing cursor.
    const firstPage = (await gqlOk(ClaimsDocument, { first: 2 })).claims;
    await createClaim({ articleId: article.id, statement: "newer" });
    const next = (await gqlOk(ClaimsDocument, { first: 2, after: firstPage.pageInfo.endCursor })).claims;
    expect(next.edges.map((edge) => edge.node.id)).toEqual(order.slice(2, 4));
  });

  it("refuses a page size over 100 and a cursor it did not issue", async () => {
    const article = await createArticle({ body: BODY });
    await createClaim({ articleId: article.id, statement: "s" });
    const tooMany = onlyError(await gql(ClaimsDocument, { first: 101 }));
    expect(tooMany.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooMany.message).toContain("first");
    const negative = onlyError(await gql(ClaimsDocument, { first: -1 }));
    expect(negative.extensions?.code).toBe("BAD_USER_INPUT");
    for (const cursor of ["not a cursor", Buffer.from("[1,2]").toString("base64url")]) {
      const error = onlyError(await gql(ClaimsDocument, { first: 2, after: cursor }));
      expect({ cursor, code: error.extensions?.code }).toEqual({ cursor, code: "BAD_USER_INPUT" });
      expect(error.message).toContain("after");
    }
  });

  it("refuses a well-formed cursor whose id is not a uuid with BAD_USER_INPUT", async () => {
    const article = await createArticle({ body: BODY });
    await createClaim({ articleId: article.id, statement: "s" });
    const forged = Buffer.from(JSON.stringify(["2024-01-01T00:00:00.000Z", "not-a-uuid"])).toString("base64url");
    const error = onlyError(await gql(ClaimsDocument, { first: 2, after: forged }));
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.message).toContain("after");
  });
});

describe("updateClaim", () => {
  it("changes the statement, bumps the version, and refuses a stale version with CONFLICT", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "old", quote: "Beijing denies any role" });
    const { updateClaim } = await gqlOk(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 1, statement: "new" } });
    expect(updateClaim).toMatchObject({ statement: "new", version: 2, quote: "Beijing denies any role", anchor: claim.anchor });
    const before = await databaseSnapshot();
    const error = onlyError(await gql(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 1, statement: "newer" } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2, expectedVersion: 1 });
    expect(error.message).toContain(claim.id);
    expect(await databaseSnapshot()).toEqual(before);
    expect((await readClaim(claim.id))!.statement).toBe("new");
  });

  it("refuses an unknown claim with NOT_FOUND and an empty statement with BAD_USER_INPUT", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "s" });
    const before = await databaseSnapshot();
    const missing = onlyError(await gql(UpdateClaimDocument, { input: { id: "8f14e45f-ceea-467f-a0e6-2b1d8a0c0b11", expectedVersion: 1, statement: "x" } }));
    expect(missing.extensions?.code).toBe("NOT_FOUND");
    const empty = onlyError(await gql(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 1, statement: " " } }));
    expect(empty.extensions?.code).toBe("BAD_USER_INPUT");
    expect(empty.message).toContain("input.statement");
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("re-anchors on a new quote or new offsets, checking them against the body", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "s", quote: "Beijing denies any role" });
    const quote = "spoke on condition of anonymity";
    const byQuote = (await gqlOk(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 1, quote } })).updateClaim;
    expect(byQuote.anchor).toEqual(expectedAnchor(BODY, quote));
    const start = BODY.indexOf("officials");
    const byOffsets = (await gqlOk(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 2, anchor: { start, end: start + 9, exact: "officials" } } })).updateClaim;
    expect(byOffsets).toMatchObject({ quote: "officials", anchor: expectedAnchor(BODY, "officials", start), version: 3 });

    const before = await databaseSnapshot();
    const wrong = onlyError(await gql(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 3, anchor: { start, end: start + 9, exact: "diplomats" } } }));
    expect(wrong.extensions?.code).toBe("BAD_USER_INPUT");
    expect(wrong.message).toContain("input.anchor");
    const twice = onlyError(await gql(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 3, quote: "officials" } }));
    expect(twice.extensions?.code).toBe("BAD_USER_INPUT");
    expect(twice.message).toContain("input.quote");
    expect(await databaseSnapshot()).toEqual(before);

    const cleared = (await gqlOk(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 3, quote: null, anchor: null } })).updateClaim;
    expect(cleared).toMatchObject({ quote: null, anchor: null });
  });

  it("refuses a change of kind to QUANTITATIVE without a quantity, and accepts one with it", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "China supplied 90%." });
    const before = await databaseSnapshot();
    const error = onlyError(await gql(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 1, kind: "QUANTITATIVE" } }));
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.message).toContain("input.quantity");
    expect(await databaseSnapshot()).toEqual(before);
    const { updateClaim } = await gqlOk(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 1, kind: "QUANTITATIVE", quantity: { value: 90, unit: "%" } } });
    expect(updateClaim).toMatchObject({ kind: "QUANTITATIVE", quantity: { value: 90, unit: "%", subject: null, period: null }, version: 2 });
  });
});

describe("deleteClaim", () => {
  it("deletes the claim with its attributions and verdicts, and the rebuttals left answering nothing", async () => {
    const article = await createArticle({ body: BODY });
    const doomed = await createClaim({ articleId: article.id, statement: "doomed" });
    const kept = await createClaim({ articleId: article.id, statement: "kept" });
    await gqlOk(RecordVerdictDocument, { input: { claimId: doomed.id, rating: "REFUTED", rationale: "no evidence" } });
    const officials = await createSource("US officials", "UNNAMED_GROUP");
    const reuters = await createSource("Reuters", "NEWS_AGENCY");
    const conduit = await attribute({ claimId: doomed.id, sourceId: reuters.id, role: "CONDUIT" });
    await attribute({ claimId: doomed.id, sourceId: officials.id, role: "CLAIMANT", viaId: conduit.id });
    await attribute({ claimId: kept.id, sourceId: officials.id, role: "CLAIMANT" });
    const { createRebuttal: onlyDoomed } = await gqlOk(CreateRebuttalDocument, {
      input: { sourceId: officials.id, claimIds: [doomed.id], stance: "DENIES", text: "Answers the doomed claim only." },
    });
    const { createRebuttal: both } = await gqlOk(CreateRebuttalDocument, {
      input: { sourceId: officials.id, claimIds: [doomed.id, kept.id], stance: "DISPUTES", text: "Answers both claims." },
    });

    const prisma = await testPrisma();
    // A stale version deletes nothing.
    const before = await databaseSnapshot();
    const stale = onlyError(await gql(DeleteClaimDocument, { input: { id: doomed.id, expectedVersion: 2 } }));
    expect(stale.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 1 });
    expect(await databaseSnapshot()).toEqual(before);

    expect((await gqlOk(DeleteClaimDocument, { input: { id: doomed.id, expectedVersion: 1 } })).deleteClaim.id).toBe(doomed.id);
    expect(await readClaim(doomed.id)).toBeNull();
    expect(await prisma.attribution.count({ where: { claimId: doomed.id } })).toBe(0);
    expect(await prisma.verdict.count({ where: { claimId: doomed.id } })).toBe(0);
    expect(await prisma.response.findUnique({ where: { id: onlyDoomed.id } })).toBeNull();
    expect(await prisma.response.findUnique({ where: { id: both.id } })).not.toBeNull();
    expect(await prisma.source.count()).toBe(2);

    const survivor = await readClaim(kept.id);
    expect(survivor!.attributions).toHaveLength(1);
    expect(survivor!.verdicts).toHaveLength(1);
    expect(survivor!.rebuttals.map((rebuttal) => rebuttal.id)).toEqual([both.id]);

    const again = onlyError(await gql(DeleteClaimDocument, { input: { id: doomed.id, expectedVersion: 1 } }));
    expect(again.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("anchors when the article body changes", () => {
  async function setUp(body: string, quote: string) {
    const article = await createArticle({ body });
    const claim = await createClaim({ articleId: article.id, statement: "s", quote });
    return { article, claim };
  }

  async function editBody(article: { id: string; version: number }, body: string) {
    return (await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: article.version, body } })).updateArticle;
  }

  it("follows text that moved: RELOCATED with the new offsets and context", async () => {
    const quote = "Beijing denies any role in the war.";
    const { article, claim } = await setUp(BODY, quote);
    const newBody = `Updated on Monday with a reaction from the Chinese foreign ministry. ${BODY}`;
    await editBody(article, newBody);
    const read = await readClaim(claim.id);
    expect(read!.anchor).toEqual(expectedAnchor(newBody, quote));
    expect(read!.anchor!.start).toBe(claim.anchor!.start + newBody.length - BODY.length);
    expect(await anchorState(claim.id)).toBe("RELOCATED");
  });

  it("leaves an anchor untouched, still ANCHORED, when the edit is outside its context", async () => {
    const quote = "US officials say";
    const { article, claim } = await setUp(BODY, quote);
    await editBody(article, `${BODY} More paragraphs follow.`);
    expect((await readClaim(claim.id))!.anchor).toEqual(claim.anchor);
    expect(await anchorState(claim.id)).toBe("ANCHORED");
  });

  it("orphans a claim whose text was deleted, keeping its offsets and quote", async () => {
    const quote = "Beijing denies any role in the war.";
    const { article, claim } = await setUp(BODY, quote);
    await editBody(article, BODY.replace(quote, "Beijing did not comment."));
    const read = await readClaim(claim.id);
    expect(read!.quote).toBe(quote);
    expect(read!.anchor).toEqual(claim.anchor);
    expect(await anchorState(claim.id)).toBe("ORPHANED");
  });

  it("orphans a claim whose text now appears twice with equally good context", async () => {
    const body = "Intro. The sky is green, said Bob. Outro.";
    const { article, claim } = await setUp(body, "The sky is green");
    await editBody(article, `${body} ${body}`);
    expect((await readClaim(claim.id))!.anchor).toEqual(claim.anchor);
    expect(await anchorState(claim.id)).toBe("ORPHANED");
  });

  it("picks the occurrence whose context matches when the text appears twice", async () => {
    const quote = "90%";
    const body = "Officials said China supplied 90% of the chips. Other text.";
    const { article, claim } = await setUp(body, quote);
    const newBody = "Exports rose 90% last year. Officials said China supplied 90% of the chips. Other text.";
    await editBody(article, newBody);
    expect((await readClaim(claim.id))!.anchor).toEqual(expectedAnchor(newBody, quote, newBody.lastIndexOf(quote)));
    expect(await anchorState(claim.id)).toBe("RELOCATED");
  });

  it("finds an orphaned claim again when its text comes back", async () => {
    const quote = "Beijing denies any role in the war.";
    const { article, claim } = await setUp(BODY, quote);
    const cut = await editBody(article, BODY.replace(quote, ""));
    expect(await anchorState(claim.id)).toBe("ORPHANED");
    await editBody(cut, BODY); // the edit is undone
    expect((await readClaim(claim.id))!.anchor).toEqual(claim.anchor);
    expect(await anchorState(claim.id)).not.toBe("ORPHANED");
  });

  it("never cuts a character outside the BMP in half at the edge of the context, and keeps such an anchor across edits", async () => {
    // The 32 code units of context on each side end inside an emoji (two UTF-16 code units).
    const quote = "the claim";
    const body = `Up 📈${"a".repeat(31)}${quote}${"b".repeat(31)}📉 and the rest.`;
    const { article, claim } = await setUp(body, quote);
    expect(claim.anchor).toMatchObject({ exact: quote, start: body.indexOf(quote), prefix: "a".repeat(31), suffix: "b".repeat(31) });
    await editBody(article, `${body} A new paragraph at the end.`);
    expect((await readClaim(claim.id))!.anchor).toEqual(claim.anchor);
    expect(await anchorState(claim.id)).toBe("ANCHORED");
  });
});
