import {
  ArticleHistoryDocument,
  ArticleRevisionsDocument,
  AuditLogDocument,
  ClaimByIdDocument,
  DeleteArticleDocument,
  DeleteClaimDocument,
  RecordVerdictDocument,
  RemoveAttributionDocument,
  ReturnArticleDocument,
  SubmitArticleDocument,
  UpdateArticleDocument,
  UpdateAttributionDocument,
  UpdateClaimDocument,
  UpdateRebuttalDocument,
  UpdateSourceDocument,
  type AuditEntryFieldsFragment,
} from "./generated/operations";
import { gql, gqlAs, gqlOk, gqlOkAs, internalErrors, onlyError, userFor, type Actor } from "./support/client";
import { attribute, createArticle, createClaim, createRebuttal, createSource } from "./support/factories";
import { databaseSnapshot, testPrisma } from "./support/environment";

const BODY =
  "US officials say China supplies drone technology to Russia. " +
  "They spoke on condition of anonymity. " +
  "Beijing denies any role in the war.";

/** The audit entries of one entity, newest first, as `actor` reads them. */
async function entriesOf(entityId: string, actor: Actor = "EDITOR") {
  const { auditLog } = await gqlOkAs(actor, AuditLogDocument, { entityId, first: 100 });
  return auditLog.edges.map((edge) => edge.node);
}

/** The newest audit entry of an entity. */
async function latest(entityId: string) {
  return (await entriesOf(entityId))[0]!;
}

/** The changes of an entry as { field: [before, after] }. */
function changesOf(entry: AuditEntryFieldsFragment) {
  return Object.fromEntries(entry.changes.map((c) => [c.field, [c.before, c.after]]));
}

async function auditRowCount() {
  return (await testPrisma()).auditEntry.count();
}

describe("every change writes an audit entry: who, what, before and after of the changed fields", () => {
  it("articles: create, update, transitions (the return reason in note) and delete", async () => {
    const editor = await userFor("EDITOR");
    const article = await createArticle({ body: BODY });
    const created = await latest(article.id);
    expect(created).toMatchObject({ actor: { id: editor.id, role: "EDITOR" }, entity: "Article", entityId: article.id, articleId: article.id, action: "CREATE", note: null });
    expect(changesOf(created)).toMatchObject({ title: [null, "China fills Russia's war gaps"], status: [null, "DRAFT"], version: [null, 1] });
    // The body's size is recorded, not a second copy of it (the revisions keep bodies).
    expect(changesOf(created).body).toEqual([null, { length: BODY.length }]);
    expect(created.changes.map((c) => c.field)).not.toContain("updatedAt");

    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 1, title: "China helps Russia, US says" } });
    const updated = await latest(article.id);
    expect(updated).toMatchObject({ action: "UPDATE", actor: { id: editor.id } });
    expect(changesOf(updated)).toEqual({ title: ["China fills Russia's war gaps", "China helps Russia, US says"], version: [1, 2] });

    await gqlOk(SubmitArticleDocument, { input: { id: article.id, expectedVersion: 2 } });
    expect(changesOf(await latest(article.id))).toEqual({ status: ["DRAFT", "IN_REVIEW"], version: [2, 3] });
    const checker = await userFor("FACT_CHECKER");
    await gqlOkAs("FACT_CHECKER", ReturnArticleDocument, { input: { id: article.id, expectedVersion: 3, reason: "Claim 1 needs a second source." } });
    const returned = await latest(article.id);
    expect(returned).toMatchObject({ action: "RETURN", actor: { id: checker.id, role: "FACT_CHECKER" }, note: { reason: "Claim 1 needs a second source." } });
    expect(changesOf(returned)).toEqual({ status: ["IN_REVIEW", "DRAFT"], version: [3, 4] });

    await gqlOk(DeleteArticleDocument, { input: { id: article.id, expectedVersion: 4 } });
    const entries = await entriesOf(article.id);
    expect(entries.map((e) => e.action)).toEqual(["DELETE", "RETURN", "SUBMIT", "UPDATE", "CREATE"]);
    expect(changesOf(entries[0]!)).toMatchObject({ title: ["China helps Russia, US says", null], status: ["DRAFT", null], version: [4, null] });
  });

  it("claims, sources, attributions, rebuttals and verdicts", async () => {
    const editor = await userFor("EDITOR");
    const checker = await userFor("FACT_CHECKER");
    const article = await createArticle({ body: BODY });

    const claim = await createClaim({ articleId: article.id, statement: "China supplies drones.", quote: "They spoke on condition of anonymity" });
    const claimCreated = await latest(claim.id);
    expect(claimCreated).toMatchObject({ entity: "Claim", action: "CREATE", articleId: article.id, actor: { id: editor.id } });
    expect(changesOf(claimCreated)).toMatchObject({ statement: [null, "China supplies drones."], anchorState: [null, "ANCHORED"] });
    await gqlOk(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 1, statement: "China supplies drone technology to Russia." } });
    expect(changesOf(await latest(claim.id))).toEqual({ statement: ["China supplies drones.", "China supplies drone technology to Russia."], version: [1, 2] });

    const source = await createSource("Senior US officials", "UNNAMED_GROUP", {}, "FACT_CHECKER");
    const sourceCreated = await latest(source.id);
    expect(sourceCreated).toMatchObject({ entity: "Source", action: "CREATE", articleId: null, actor: { id: checker.id } });
    expect(changesOf(sourceCreated)).toMatchObject({ name: [null, "Senior US officials"], kind: [null, "UNNAMED_GROUP"] });
    await gqlOk(UpdateSourceDocument, { input: { id: source.id, expectedVersion: 1, description: "Briefed reporters." } });
    expect(changesOf(await latest(source.id))).toEqual({ description: [null, "Briefed reporters."], version: [1, 2] });

    const attribution = await attribute({ claimId: claim.id, sourceId: source.id, role: "CLAIMANT", anonymity: "ANONYMOUS" }, "FACT_CHECKER");
    const attributionCreated = await latest(attribution.id);
    expect(attributionCreated).toMatchObject({ entity: "Attribution", action: "CREATE", articleId: article.id, actor: { id: checker.id } });
    expect(changesOf(attributionCreated)).toMatchObject({ role: [null, "CLAIMANT"], anonymity: [null, "ANONYMOUS"], claimId: [null, claim.id], sourceId: [null, source.id] });
    await gqlOk(UpdateAttributionDocument, { input: { id: attribution.id, expectedVersion: 1, anonymityReason: "On condition of anonymity" } });
    expect(changesOf(await latest(attribution.id))).toEqual({ anonymityReason: [null, "On condition of anonymity"], version: [1, 2] });

    const embassy = await createSource("Chinese Embassy", "GOVERNMENT");
    const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claim.id], stance: "DENIES", text: "China denies it." });
    const rebuttalCreated = await latest(rebuttal.id);
    expect(rebuttalCreated).toMatchObject({ entity: "Response", action: "CREATE", articleId: article.id });
    expect(changesOf(rebuttalCreated)).toMatchObject({ stance: [null, "DENIES"], claimIds: [null, [claim.id]] });
    await gqlOk(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, text: "The embassy rejects the accusations." } });
    expect(changesOf(await latest(rebuttal.id))).toEqual({ text: ["China denies it.", "The embassy rejects the accusations."], version: [1, 2] });

    const verdict = (await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: claim.id, rating: "DISPUTED", rationale: "Only one side's word." } }))
      .recordVerdict;
    const recorded = await latest(verdict.id);
    expect(recorded).toMatchObject({ entity: "Verdict", entityId: verdict.id, articleId: article.id, action: "RECORD", actor: { id: checker.id, role: "FACT_CHECKER" } });
    expect(changesOf(recorded)).toEqual({ rating: ["UNVERIFIED", "DISPUTED"], rationale: [null, "Only one side's word."] });

    await gqlOk(RemoveAttributionDocument, { input: { id: attribution.id, expectedVersion: 2 } });
    expect(await latest(attribution.id)).toMatchObject({ action: "DELETE", articleId: article.id });
    await gqlOk(DeleteClaimDocument, { input: { id: claim.id, expectedVersion: 2 } });
    const claimDeleted = await latest(claim.id);
    expect(claimDeleted).toMatchObject({ action: "DELETE", articleId: article.id });
    expect(changesOf(claimDeleted)).toMatchObject({ statement: ["China supplies drone technology to Russia.", null] });
  });

  it("a failed mutation writes no audit row (nor anything else)", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "A claim." });
    const rows = await auditRowCount();
    const before = await databaseSnapshot();
    const failures = [
      await gql(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 7, title: "Stale" } }),
      await gql(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 1, title: "  " } }),
      await gqlAs("FACT_CHECKER", UpdateArticleDocument, { input: { id: article.id, expectedVersion: 1, title: "Not yours" } }),
      await gql(ReturnArticleDocument, { input: { id: article.id, expectedVersion: 1, reason: "A draft cannot go back." } }),
      await gql(UpdateClaimDocument, { input: { id: claim.id, expectedVersion: 1, quote: "not in the body" } }),
      await gqlAs("REPORTER", RecordVerdictDocument, { input: { claimId: claim.id, rating: "SUPPORTED" } }),
      await gql(DeleteClaimDocument, { input: { id: claim.id, expectedVersion: 2 } }),
    ];
    expect(failures.map((result) => onlyError(result).extensions?.code)).toEqual([
      "CONFLICT",
      "BAD_USER_INPUT",
      "FORBIDDEN",
      "INVALID_TRANSITION",
      "BAD_USER_INPUT",
      "FORBIDDEN",
      "CONFLICT",
    ]);
    expect(await auditRowCount()).toBe(rows);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("the audit entry is written in the same transaction: when it cannot be written, the change is undone", async () => {
    const article = await createArticle({ body: BODY });
    const prisma = await testPrisma();
    await prisma.$executeRawUnsafe(`CREATE FUNCTION test_refuse_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END; $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON "audit_entry" FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
    try {
      const before = await databaseSnapshot();
      const errorsBefore = internalErrors.length;
      const result = await gql(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 1, title: "Changed", body: "A new body." } });
      expect(onlyError(result).extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(internalErrors.length).toBe(errorsBefore + 1);
      expect(await databaseSnapshot()).toEqual(before);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER test_refuse_audit ON "audit_entry"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION test_refuse_audit()`);
    }
  });
});

describe("auditLog and Article.history", () => {
  it("filters by entity and by actor, newest first, and pages with cursors", async () => {
    const editor = await userFor("EDITOR");
    const checker = await userFor("FACT_CHECKER");
    const article = await createArticle({ body: BODY });
    for (let version = 1; version <= 4; version++) {
      await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: version, title: `Title ${version + 1}` } });
    }
    const other = await createArticle({ title: "Another article", body: BODY });
    const checkerSource = await createSource("Someone", "PERSON", {}, "FACT_CHECKER");

    const all = await entriesOf(article.id);
    expect(all.map((e) => e.action)).toEqual(["UPDATE", "UPDATE", "UPDATE", "UPDATE", "CREATE"]);
    expect(all.map((e) => changesOf(e).title?.[1])).toEqual(["Title 5", "Title 4", "Title 3", "Title 2", "China fills Russia's war gaps"]);
    expect(all.every((e) => e.entityId === article.id)).toBe(true);
    const times = all.map((e) => new Date(e.createdAt).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const page1 = (await gqlOk(AuditLogDocument, { entityId: article.id, first: 2 })).auditLog;
    expect(page1.totalCount).toBe(5);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = (await gqlOk(AuditLogDocument, { entityId: article.id, first: 2, after: page1.pageInfo.endCursor })).auditLog;
    const page3 = (await gqlOk(AuditLogDocument, { entityId: article.id, first: 2, after: page2.pageInfo.endCursor })).auditLog;
    expect(page3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect([...page1.edges, ...page2.edges, ...page3.edges].map((e) => e.node.id)).toEqual(all.map((e) => e.id));

    const byChecker = (await gqlOk(AuditLogDocument, { actor: checker.id })).auditLog;
    expect(byChecker.edges.map((e) => [e.node.entity, e.node.entityId])).toEqual([["Source", checkerSource.id]]);
    const byEditor = (await gqlOk(AuditLogDocument, { actor: editor.id, first: 100 })).auditLog;
    expect(byEditor.totalCount).toBe(6);
    expect(byEditor.edges[0]!.node).toMatchObject({ entityId: other.id, action: "CREATE" });
    const both = (await gqlOk(AuditLogDocument, { entityId: article.id, actor: checker.id })).auditLog;
    expect(both.totalCount).toBe(0);

    expect(onlyError(await gqlAs(null, AuditLogDocument, {})).extensions?.code).toBe("UNAUTHENTICATED");
    expect(onlyError(await gql(AuditLogDocument, { entityId: "not-an-id" })).extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("Article.history holds the changes of the article and of its claims, attributions, rebuttals and verdicts", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "China supplies drones." });
    const source = await createSource("Officials", "UNNAMED_GROUP");
    const attribution = await attribute({ claimId: claim.id, sourceId: source.id, role: "CLAIMANT" });
    const rebuttal = await createRebuttal({ sourceId: source.id, claimIds: [claim.id], stance: "DISPUTES", text: "Not so." });
    const verdict = (await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: claim.id, rating: "SUPPORTED" } })).recordVerdict;
    await gqlOk(SubmitArticleDocument, { input: { id: article.id, expectedVersion: 1 } });
    // Changes to another article stay out of this one's history.
    await createArticle({ title: "Unrelated", body: BODY });

    const { article: read } = await gqlOk(ArticleHistoryDocument, { id: article.id, first: 100 });
    const history = read!.history.edges.map((e) => e.node);
    expect(history.map((e) => [e.entity, e.entityId, e.action])).toEqual([
      ["Article", article.id, "SUBMIT"],
      ["Verdict", verdict.id, "RECORD"],
      ["Response", rebuttal.id, "CREATE"],
      ["Attribution", attribution.id, "CREATE"],
      ["Claim", claim.id, "CREATE"],
      ["Article", article.id, "CREATE"],
    ]);
    expect(history.every((e) => e.articleId === article.id)).toBe(true);
    expect(read!.history.totalCount).toBe(6);
    const paged = (await gqlOk(ArticleHistoryDocument, { id: article.id, first: 4 })).article!.history;
    const rest = (await gqlOk(ArticleHistoryDocument, { id: article.id, first: 4, after: paged.pageInfo.endCursor })).article!.history;
    expect([...paged.edges, ...rest.edges].map((e) => e.node.id)).toEqual(history.map((e) => e.id));
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });
});

describe("history is append-only in the database", () => {
  it("refuses a raw UPDATE or DELETE of audit entries and article revisions", async () => {
    const article = await createArticle({ body: BODY });
    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 1, body: "A second body." } });
    const prisma = await testPrisma();
    expect(await prisma.auditEntry.count()).toBe(2);
    expect(await prisma.articleRevision.count()).toBe(1);
    const before = await databaseSnapshot();
    await expect(prisma.$executeRawUnsafe(`UPDATE "audit_entry" SET "action" = 'FORGED'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM "audit_entry"`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`UPDATE "article_revision" SET "body" = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM "article_revision"`)).rejects.toThrow(/append-only/);
    await expect(prisma.auditEntry.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(prisma.articleRevision.updateMany({ data: { title: "forged" } })).rejects.toThrow(/append-only/);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("still lets an article with revisions be deleted (its revisions go with it; its audit entries stay)", async () => {
    const article = await createArticle({ body: BODY });
    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 1, body: "A second body." } });
    await gqlOk(DeleteArticleDocument, { input: { id: article.id, expectedVersion: 2 } });
    const prisma = await testPrisma();
    expect(await prisma.articleRevision.count()).toBe(0);
    expect((await entriesOf(article.id)).map((e) => e.action)).toEqual(["DELETE", "UPDATE", "CREATE"]);
  });
});

describe("article revisions", () => {
  it("keep the previous body at every body change, with its version; a change of the title alone keeps none", async () => {
    const editor = await userFor("EDITOR");
    const article = await createArticle({ title: "First title", body: "Body one." });
    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 1, title: "Second title" } });
    let read = (await gqlOk(ArticleRevisionsDocument, { id: article.id })).article!;
    expect(read.revisions).toEqual([]);

    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 2, body: "Body two." } });
    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 3, title: "Third title", body: "Body three." } });
    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 4, summary: "Only the summary." } });
    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 5, body: "Body three." } });
    read = (await gqlOk(ArticleRevisionsDocument, { id: article.id })).article!;
    expect(read).toMatchObject({ version: 6, title: "Third title", body: "Body three." });
    expect(read.revisions.map((r) => [r.version, r.title, r.body])).toEqual([
      [3, "Second title", "Body two."],
      [2, "Second title", "Body one."],
    ]);
    expect(read.revisions.every((r) => r.createdBy?.id === editor.id)).toBe(true);
    // An anonymous reader cannot even see the draft, let alone its revisions.
    expect(await gqlAs(null, ArticleRevisionsDocument, { id: article.id })).toEqual({ data: { article: null } });
  });
});

describe("anchors in the history", () => {
  it("a body edit that moves a claim's text RELOCATES it; one that removes it ORPHANS it, keeps the old offsets, and says so in the history", async () => {
    const article = await createArticle({ body: BODY });
    const moving = await createClaim({ articleId: article.id, statement: "Beijing denies it.", quote: "Beijing denies any role in the war." });
    const leaving = await createClaim({ articleId: article.id, statement: "Officials were anonymous.", quote: "They spoke on condition of anonymity" });
    const anchoredAt = (await gqlOk(ClaimByIdDocument, { id: leaving.id })).claim!.anchor!;

    const prefix = "Breaking: a correction was issued. ";
    const moved = prefix + BODY;
    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 1, body: moved } });
    const relocated = (await gqlOk(ClaimByIdDocument, { id: moving.id })).claim!;
    const newStart = moved.indexOf("Beijing denies any role in the war.");
    expect(relocated).toMatchObject({ anchorState: "RELOCATED", version: 2, anchor: { start: newStart, end: newStart + 35, exact: "Beijing denies any role in the war." } });
    expect(moved.slice(relocated.anchor!.start, relocated.anchor!.end)).toBe(relocated.quote);
    const relocatedEntry = await latest(moving.id);
    expect(relocatedEntry).toMatchObject({ entity: "Claim", action: "UPDATE", articleId: article.id, note: { reason: "article body changed" } });
    expect(changesOf(relocatedEntry)).toMatchObject({ anchorState: ["ANCHORED", "RELOCATED"], anchorStart: [BODY.indexOf("Beijing"), newStart] });

    const cut = moved.replace("They spoke on condition of anonymity. ", "");
    await gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 2, body: cut } });
    const orphaned = (await gqlOk(ClaimByIdDocument, { id: leaving.id })).claim!;
    expect(orphaned.anchorState).toBe("ORPHANED");
    // The old offsets are kept, never moved to another passage.
    expect(orphaned.anchor).toEqual({ ...anchoredAt, start: anchoredAt.start + prefix.length, end: anchoredAt.end + prefix.length, prefix: orphaned.anchor!.prefix, suffix: orphaned.anchor!.suffix });
    const orphanEntry = await latest(leaving.id);
    expect(orphanEntry).toMatchObject({ entity: "Claim", action: "UPDATE", note: { reason: "article body changed" }, actor: { id: (await userFor("EDITOR")).id } });
    expect(changesOf(orphanEntry)).toEqual({ anchorState: ["RELOCATED", "ORPHANED"] });

    // Both appear in the article's history, next to the body changes that caused them.
    const history = (await gqlOk(ArticleHistoryDocument, { id: article.id, first: 100 })).article!.history.edges.map((e) => e.node);
    const rows = history.map((e) => [e.entity, e.entityId, e.action, e.changes.find((c) => c.field === "anchorState")?.after ?? null]);
    // Newest first; each edit's re-locations are audited (in no particular order) just before the edit itself.
    const bySegment = (from: number, to: number) => [...rows.slice(from, to)].sort((a, b) => `${a[1] as string}`.localeCompare(`${b[1] as string}`));
    const sortById = (list: typeof rows) => [...list].sort((a, b) => `${a[1] as string}`.localeCompare(`${b[1] as string}`));
    expect(rows[0]).toEqual(["Article", article.id, "UPDATE", null]);
    // The second edit orphaned one claim and shifted the other (still RELOCATED, at new offsets).
    expect(bySegment(1, 3)).toEqual(sortById([["Claim", leaving.id, "UPDATE", "ORPHANED"], ["Claim", moving.id, "UPDATE", null]]));
    const shifted = history.slice(1, 3).find((e) => e.entityId === moving.id)!;
    expect(changesOf(shifted).anchorStart).toEqual([newStart, cut.indexOf("Beijing denies")]);
    expect(rows[3]).toEqual(["Article", article.id, "UPDATE", null]);
    // The first edit moved both claims.
    expect(bySegment(4, 6)).toEqual(sortById([["Claim", leaving.id, "UPDATE", "RELOCATED"], ["Claim", moving.id, "UPDATE", "RELOCATED"]]));
    expect(rows.slice(6)).toEqual([
      ["Claim", leaving.id, "CREATE", "ANCHORED"],
      ["Claim", moving.id, "CREATE", "ANCHORED"],
      ["Article", article.id, "CREATE", null],
    ]);
  });
});

describe("verdict history", () => {
  it("shows every rating change with its rationale and who recorded it", async () => {
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "China supplies drones." });
    const checker = await userFor("FACT_CHECKER");
    const editor = await userFor("EDITOR");
    await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: claim.id, rating: "UNVERIFIED", rationale: "Data not published." } });
    await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: claim.id, rating: "MOSTLY_SUPPORTED", rationale: "Customs data bears it out." } });
    await gqlOk(RecordVerdictDocument, { input: { claimId: claim.id, rating: "DISPUTED", rationale: "The embassy's figures differ." } });

    const read = (await gqlOk(ClaimByIdDocument, { id: claim.id })).claim!;
    expect(read.verdicts.map((v) => [v.rating, v.rationale, v.recordedBy])).toEqual([
      ["DISPUTED", "The embassy's figures differ.", { id: editor.id, role: "EDITOR" }],
      ["MOSTLY_SUPPORTED", "Customs data bears it out.", { id: checker.id, role: "FACT_CHECKER" }],
      ["UNVERIFIED", "Data not published.", { id: checker.id, role: "FACT_CHECKER" }],
      ["UNVERIFIED", null, null],
    ]);
    expect(read.verdict.id).toBe(read.verdicts[0]!.id);

    const recorded = (await gqlOk(ArticleHistoryDocument, { id: article.id, first: 100 })).article!.history.edges
      .map((e) => e.node)
      .filter((e) => e.entity === "Verdict");
    expect(recorded.map((e) => [e.actor?.id, changesOf(e)])).toEqual([
      [editor.id, { rating: ["MOSTLY_SUPPORTED", "DISPUTED"], rationale: ["Customs data bears it out.", "The embassy's figures differ."] }],
      [checker.id, { rating: ["UNVERIFIED", "MOSTLY_SUPPORTED"], rationale: ["Data not published.", "Customs data bears it out."] }],
      [checker.id, { rationale: [null, "Data not published."] }],
    ]);
    expect(recorded.map((e) => e.entityId)).toEqual(read.verdicts.slice(0, 3).map((v) => v.id));
  });
});
