import { parse } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { DRAFT, STORY, seedExampleStory } from "../prisma/seed-data/example-story";
import { LOCAL_USERS } from "../prisma/seed-data/local-users";
import { viewerForToken } from "../src/modules/user/user.tokens";
import {
  ArchiveArticleDocument,
  ArticleClaimsDocument,
  PublishArticleDetailDocument,
  PublishArticleDocument,
  RecordVerdictDocument,
  ReturnArticleDetailDocument,
  RestoreArticleDocument,
  ReturnArticleDocument,
  SignInDocument,
  SubmitArticleDocument,
  UpdateArticleDocument,
  UpdateArticleInputFieldsDocument,
  UpdateAttributionDocument,
  UpdateClaimDocument,
  type ArticleStatus,
} from "./generated/operations";
import { gql, gqlAs, gqlOk, gqlOkAs, onlyError, userFor, type Actor, type GqlResult } from "./support/client";
import { attribute, createArticle, createClaim, createSource } from "./support/factories";
import { databaseSnapshot, testPrisma } from "./support/environment";

type Action = "submit" | "publish" | "return" | "archive" | "restore";

interface FlowArticle {
  id: string;
  status: ArticleStatus;
  version: number;
  publishedAt?: string | null;
}

/** Runs one workflow step on the article at `version` as `actor` (a return always gives a reason). */
function step(actor: Actor, action: Action, id: string, expectedVersion: number): Promise<GqlResult<unknown>> {
  const input = { id, expectedVersion };
  switch (action) {
    case "submit":
      return gqlAs(actor, SubmitArticleDocument, { input });
    case "publish":
      return gqlAs(actor, PublishArticleDocument, { input });
    case "return":
      return gqlAs(actor, ReturnArticleDocument, { input: { ...input, reason: "Needs a second source." } });
    case "archive":
      return gqlAs(actor, ArchiveArticleDocument, { input });
    case "restore":
      return gqlAs(actor, RestoreArticleDocument, { input });
  }
}

/** One step that must succeed: the article as it is afterwards. */
async function stepOk(action: Action, article: FlowArticle, actor: Actor = "EDITOR"): Promise<FlowArticle> {
  const result = await step(actor, action, article.id, article.version);
  if (result.errors?.length) throw new Error(`${action} failed: ${JSON.stringify(result.errors)}`);
  const data = result.data as Record<string, FlowArticle>;
  return Object.values(data)[0]!;
}

/** Each step, as `actor`, is refused with `code`, and together they change nothing. */
async function expectRefused(actor: Actor, code: string, attempts: Array<[Action, FlowArticle]>) {
  const before = await databaseSnapshot();
  for (const [action, article] of attempts) expect(onlyError(await step(actor, action, article.id, article.version)).extensions?.code).toBe(code);
  expect(await databaseSnapshot()).toEqual(before);
}

async function readArticle(id: string) {
  const { article } = await gqlOk(ArticleClaimsDocument, { id });
  if (!article) throw new Error(`article ${id} not found`);
  return article;
}

/** An article brought to `status` through the workflow (it has no claims, so publishing passes). */
async function articleIn(status: ArticleStatus): Promise<FlowArticle> {
  let article: FlowArticle = await createArticle();
  if (status === "DRAFT") return article;
  if (status === "ARCHIVED") return stepOk("archive", article);
  article = await stepOk("submit", article);
  if (status === "IN_REVIEW") return article;
  return stepOk("publish", article);
}

describe("the workflow: legal transitions", () => {
  const legal: Array<[ArticleStatus, Action, ArticleStatus]> = [
    ["DRAFT", "submit", "IN_REVIEW"],
    ["IN_REVIEW", "publish", "PUBLISHED"],
    ["IN_REVIEW", "return", "DRAFT"],
    ["PUBLISHED", "return", "DRAFT"],
    ["DRAFT", "archive", "ARCHIVED"],
    ["IN_REVIEW", "archive", "ARCHIVED"],
    ["PUBLISHED", "archive", "ARCHIVED"],
    ["ARCHIVED", "restore", "DRAFT"],
  ];

  it.each(legal)("%s --%s--> %s, one version up", async (from, action, to) => {
    const article = await articleIn(from);
    expect(article.status).toBe(from);
    const after = await stepOk(action, article);
    expect(after).toMatchObject({ id: article.id, status: to, version: article.version + 1 });
    expect(await readArticle(article.id)).toMatchObject({ status: to, version: article.version + 1 });
  });

  it("goes the whole way: draft, review, publish, back to draft, archive, restore", async () => {
    let article: FlowArticle = await createArticle();
    const statuses: ArticleStatus[] = [article.status];
    for (const action of ["submit", "publish", "return", "submit", "return", "archive", "restore"] as const) {
      article = await stepOk(action, article);
      statuses.push(article.status);
    }
    expect(statuses).toEqual(["DRAFT", "IN_REVIEW", "PUBLISHED", "DRAFT", "IN_REVIEW", "DRAFT", "ARCHIVED", "DRAFT"]);
    expect(article.version).toBe(8);
  });

  it("publishing never invents a publication date: it sets recordPublishedAt the first time only", async () => {
    const started = Date.now();
    const undated = await articleIn("IN_REVIEW");
    const published = (await gqlOk(PublishArticleDetailDocument, { input: { id: undated.id, expectedVersion: undated.version } })).publishArticle;
    expect(published).toMatchObject({ status: "PUBLISHED", publishedAt: null, publicationDate: null });
    expect(new Date(published.recordPublishedAt!).getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect((await readArticle(undated.id)).publishedAt).toBeNull();

    // A third-party article from January 2013 still reads as January 2013 once published.
    const old = await createArticle({ publicationDate: "2013-01" });
    const submitted = await stepOk("submit", old);
    const dated = (await gqlOk(PublishArticleDetailDocument, { input: { id: old.id, expectedVersion: submitted.version } })).publishArticle;
    expect(dated).toMatchObject({ publicationDate: "2013-01", publishedAt: "2013-01-01T00:00:00.000Z" });
    expect(dated.recordPublishedAt).not.toBeNull();

    // Back to draft and published again: the first record publication stays.
    const returned = (await gqlOk(ReturnArticleDetailDocument, { input: { id: published.id, expectedVersion: published.version, reason: "Check the quote." } })).returnArticle;
    expect(returned).toMatchObject({ status: "DRAFT", recordPublishedAt: published.recordPublishedAt });
    const resubmitted = await stepOk("submit", returned);
    const republished = (await gqlOk(PublishArticleDetailDocument, { input: { id: published.id, expectedVersion: resubmitted.version } })).publishArticle;
    expect(republished).toMatchObject({ status: "PUBLISHED", recordPublishedAt: published.recordPublishedAt, publishedAt: null });
  });

  it("refuses a return without a reason (BAD_USER_INPUT) and a stale version (CONFLICT), changing nothing", async () => {
    const article = await articleIn("IN_REVIEW");
    const before = await databaseSnapshot();
    const noReason = onlyError(await gql(ReturnArticleDocument, { input: { id: article.id, expectedVersion: article.version, reason: "  " } }));
    expect(noReason.extensions?.code).toBe("BAD_USER_INPUT");
    expect(noReason.message).toContain("input.reason");
    const stale = onlyError(await gql(PublishArticleDocument, { input: { id: article.id, expectedVersion: article.version - 1 } }));
    expect(stale.extensions).toMatchObject({ code: "CONFLICT", currentVersion: article.version });
    expect(await databaseSnapshot()).toEqual(before);
  });
});

describe("the workflow: illegal transitions", () => {
  const STATUSES: ArticleStatus[] = ["DRAFT", "IN_REVIEW", "PUBLISHED", "ARCHIVED"];
  const ALLOWED: Record<Action, ArticleStatus[]> = {
    submit: ["DRAFT"],
    publish: ["IN_REVIEW"],
    return: ["IN_REVIEW", "PUBLISHED"],
    archive: ["DRAFT", "IN_REVIEW", "PUBLISHED"],
    restore: ["ARCHIVED"],
  };
  const illegal = STATUSES.flatMap((status) =>
    (Object.keys(ALLOWED) as Action[]).filter((action) => !ALLOWED[action].includes(status)).map((action) => [action, status] as const),
  );

  it("covers every pair that is not a legal transition", () => {
    expect(illegal).toHaveLength(4 * 5 - 8);
    expect(illegal).toEqual(expect.arrayContaining([["publish", "DRAFT"], ["submit", "PUBLISHED"], ["restore", "DRAFT"], ["archive", "ARCHIVED"]]));
  });

  it.each(illegal)("cannot %s a %s article: INVALID_TRANSITION, database unchanged", async (action, status) => {
    const article = await articleIn(status);
    const before = await databaseSnapshot();
    const error = onlyError(await step("EDITOR", action, article.id, article.version));
    expect(error.extensions).toMatchObject({ code: "INVALID_TRANSITION", from: status, action });
    expect(error.message).toBe(`Cannot ${action} a article that is ${status}`);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("updateArticle has no status field: the status changes only through the workflow", async () => {
    const { __type } = await gqlOk(UpdateArticleInputFieldsDocument);
    const fields = __type!.inputFields!.map((f) => f.name);
    expect(fields).toEqual(expect.arrayContaining(["id", "expectedVersion", "title", "body"]));
    expect(fields).not.toContain("status");

    const article = await createArticle();
    const before = await databaseSnapshot();
    const sneaky = parse(`mutation { updateArticle(input: { id: "${article.id}", expectedVersion: 1, status: PUBLISHED }) { id status } }`);
    const result = await gql(sneaky as TypedDocumentNode<unknown, Record<string, never>>);
    expect(onlyError(result).extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(onlyError(result).message).toContain("status");
    // Sent as a variable, the unknown field is refused too.
    const asVariable = await gql(UpdateArticleDocument, { input: { id: article.id, expectedVersion: 1, status: "PUBLISHED" } as never });
    expect(onlyError(asVariable).extensions?.code).toBe("BAD_USER_INPUT");
    expect(await databaseSnapshot()).toEqual(before);
    expect((await readArticle(article.id)).status).toBe("DRAFT");
  });
});

describe("the workflow: who may do what", () => {
  it("a REPORTER submits their own draft, not someone else's, and may not publish, archive or restore", async () => {
    const own = await createArticle({ title: "Reporter's own" }, "REPORTER");
    const submitted = await stepOk("submit", own, "REPORTER");
    expect(submitted.status).toBe("IN_REVIEW");
    const editors = await createArticle({ title: "Editor's" });
    await expectRefused("REPORTER", "FORBIDDEN", [["submit", editors], ["publish", submitted], ["return", submitted], ["archive", editors]]);
  });

  it("a FACT_CHECKER sends an article back to draft but may not submit, publish, archive or restore it", async () => {
    const inReview = await articleIn("IN_REVIEW");
    const draft = await createArticle();
    const archived = await articleIn("ARCHIVED");
    await expectRefused("FACT_CHECKER", "FORBIDDEN", [["publish", inReview], ["submit", draft], ["archive", draft], ["restore", archived]]);
    expect((await stepOk("return", inReview, "FACT_CHECKER")).status).toBe("DRAFT");
  });

  it("an ADMIN may do everything an editor does; an anonymous reader nothing", async () => {
    let article: FlowArticle = await createArticle({}, "ADMIN");
    for (const action of ["submit", "publish", "archive", "restore"] as const) article = await stepOk(action, article, "ADMIN");
    article = await stepOk("publish", await stepOk("submit", article, "ADMIN"), "ADMIN");
    await expectRefused(null, "UNAUTHENTICATED", [["return", article], ["archive", article]]);
  });
});

describe("publish gates", () => {
  const BODY =
    "US officials say China supplies drone technology to Russia. " +
    "They spoke on condition of anonymity. " +
    "Beijing shares satellite imagery with Moscow, they said. " +
    "In 2023 about 90% of Russia's microelectronics imports came from China.";

  /**
   * An article whose claims fail every gate at once:
   *   claim 1: no attribution at all, and only the automatic UNVERIFIED verdict;
   *   claim 2: an ANONYMOUS claimant and a PARTIAL context source, neither with a reason (verdict recorded);
   *   claim 3: named claimant and a verdict, but its text was edited out of the body (ORPHANED);
   *   claim 4: passes every gate.
   */
  async function blockedArticle() {
    const article = await createArticle({ title: "China fills Russia's war gaps", body: BODY });
    const officials = (await createSource("Senior US officials", "UNNAMED_GROUP")).id;
    const analysts = (await createSource("Western analysts", "UNNAMED_GROUP")).id;
    const claim = async (statement: string, quote: string) =>
      (await createClaim({ articleId: article.id, statement, quote }));
    const c1 = await claim("China supplies drone technology to Russia.", "China supplies drone technology to Russia");
    const c2 = await claim("China shares satellite imagery with Russia.", "Beijing shares satellite imagery with Moscow");
    const c3 = await claim("Most of Russia's microelectronics imports came from China in 2023.", "about 90% of Russia's microelectronics imports came from China");
    const c4 = await claim("The officials spoke anonymously.", "They spoke on condition of anonymity");
    expect(c1.verdict).toMatchObject({ rating: "UNVERIFIED", recordedBy: null });

    const a2 = await attribute({ claimId: c2.id, sourceId: officials, role: "CLAIMANT", anonymity: "ANONYMOUS" });
    const a2b = await attribute({ claimId: c2.id, sourceId: analysts, role: "CONTEXT", anonymity: "PARTIAL" });
    await attribute({ claimId: c3.id, sourceId: officials, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReason: "Briefing rules" });
    await attribute({ claimId: c4.id, sourceId: officials, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReason: "Briefing rules" });
    for (const c of [c2, c3, c4]) await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: c.id, rating: "SUPPORTED", rationale: "Checked." } });

    // An edit of the body removes the passage claim 3 stands on.
    const edited = (
      await gqlOk(UpdateArticleDocument, {
        input: { id: article.id, expectedVersion: 1, body: BODY.replace("In 2023 about 90% of Russia's microelectronics imports came from China.", "Trade figures for 2023 are disputed.") },
      })
    ).updateArticle;
    const inReview = await stepOk("submit", edited);
    return { article: inReview, c1, c2, c3, c4, a2, a2b, officials };
  }

  it("PUBLISH_BLOCKED lists every failing claim and gate at once, names them in the message, and changes nothing", async () => {
    const { article, c1, c2, c3, c4, a2, a2b } = await blockedArticle();
    const stored = await readArticle(article.id);
    // Claim 2 stays where it was but its context after it changed: re-located in place, not a gate failure.
    expect(stored.claims.map((c) => c.anchorState)).toEqual(["ANCHORED", "RELOCATED", "ORPHANED", "ANCHORED"]);

    const before = await databaseSnapshot();
    const error = onlyError(await gql(PublishArticleDocument, { input: { id: article.id, expectedVersion: article.version } }));
    expect(error.extensions?.code).toBe("PUBLISH_BLOCKED");
    const failures = error.extensions!.failures as Array<{ claimId: string; gate: string; message: string }>;
    expect(failures.map((f) => [f.claimId, f.gate])).toEqual([
      [c1.id, "CLAIMANT_REQUIRED"],
      [c1.id, "VERDICT_REQUIRED"],
      [c2.id, "ANONYMITY_REASON_REQUIRED"],
      [c2.id, "ANONYMITY_REASON_REQUIRED"],
      [c3.id, "ANCHOR_ORPHANED"],
    ]);
    expect(failures.map((f) => f.claimId)).not.toContain(c4.id);
    const anonymity = failures.filter((f) => f.gate === "ANONYMITY_REASON_REQUIRED").map((f) => f.message);
    expect(anonymity.find((m) => m.includes(a2.id))).toContain("ANONYMOUS");
    expect(anonymity.find((m) => m.includes(a2b.id))).toContain("PARTIAL");
    expect(error.message).toMatch(/^Cannot publish: 5 problems\./);
    for (const failure of failures) expect(error.message).toContain(failure.message);
    expect(error.message).toContain('Claim at position 0 ("China supplies drone technology to Russia.")');
    expect(error.message).toContain('Claim at position 1 ("China shares satellite imagery with Russia.")');
    expect(error.message).toContain("Claim at position 2 (");
    expect(error.message).not.toContain("Claim at position 3");
    expect(await databaseSnapshot()).toEqual(before);
    expect(await readArticle(article.id)).toMatchObject({ status: "IN_REVIEW", version: article.version, publishedAt: null });
  });

  it("publishes once each failure is fixed, the list shrinking with every fix; a deliberate UNVERIFIED by a FACT_CHECKER counts", async () => {
    const { article, c1, c2, c3, a2, a2b, officials } = await blockedArticle();
    const gates = async () => {
      const result = await gql(PublishArticleDocument, { input: { id: article.id, expectedVersion: article.version } });
      if (!result.errors) return [];
      const error = onlyError(result);
      expect(error.extensions?.code).toBe("PUBLISH_BLOCKED");
      return (error.extensions!.failures as Array<{ claimId: string; gate: string }>).map((f) => `${f.claimId === c1.id ? 1 : f.claimId === c2.id ? 2 : 3}:${f.gate}`);
    };

    await attribute({ claimId: c1.id, sourceId: officials, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReason: "Briefing rules" });
    expect(await gates()).toEqual(["1:VERDICT_REQUIRED", "2:ANONYMITY_REASON_REQUIRED", "2:ANONYMITY_REASON_REQUIRED", "3:ANCHOR_ORPHANED"]);

    // Nobody has judged claim 1 yet; a fact-checker deliberately records UNVERIFIED: that is a verdict.
    const deliberate = (await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: c1.id, rating: "UNVERIFIED", rationale: "Intelligence not published." } }))
      .recordVerdict;
    expect(deliberate).toMatchObject({ rating: "UNVERIFIED", recordedBy: { id: (await userFor("FACT_CHECKER")).id, role: "FACT_CHECKER" } });
    expect(await gates()).toEqual(["2:ANONYMITY_REASON_REQUIRED", "2:ANONYMITY_REASON_REQUIRED", "3:ANCHOR_ORPHANED"]);

    await gqlOk(UpdateAttributionDocument, { input: { id: a2.id, expectedVersion: a2.version, anonymityReason: "Not authorised to speak publicly" } });
    expect(await gates()).toEqual(["2:ANONYMITY_REASON_REQUIRED", "3:ANCHOR_ORPHANED"]);
    await gqlOk(UpdateAttributionDocument, { input: { id: a2b.id, expectedVersion: a2b.version, anonymityReason: "Works for a government" } });
    expect(await gates()).toEqual(["3:ANCHOR_ORPHANED"]);

    // Re-anchored to the passage that replaced the old one.
    const reanchored = (await gqlOk(UpdateClaimDocument, { input: { id: c3.id, expectedVersion: 2, quote: "Trade figures for 2023 are disputed" } })).updateClaim;
    expect(reanchored.anchorState).toBe("ANCHORED");
    expect(await gates()).toEqual([]);

    const published = await readArticle(article.id);
    expect(published).toMatchObject({ status: "PUBLISHED", version: article.version + 1 });
    expect(published.publishedAt).toBeNull(); // never invented
  });

  it("an article without claims passes the gates; a verdict counts only when recorded by a fact-checker, editor or admin", async () => {
    expect((await stepOk("publish", await articleIn("IN_REVIEW"))).status).toBe("PUBLISHED");
    const article = await createArticle({ body: BODY });
    const claim = await createClaim({ articleId: article.id, statement: "A claim." });
    const officials = (await createSource("Officials", "UNNAMED_GROUP")).id;
    await attribute({ claimId: claim.id, sourceId: officials, role: "CLAIMANT" });
    const inReview = await stepOk("submit", article);
    expect(onlyError(await gql(PublishArticleDocument, { input: { id: article.id, expectedVersion: inReview.version } })).extensions?.failures).toEqual([
      expect.objectContaining({ claimId: claim.id, gate: "VERDICT_REQUIRED" }),
    ]);
    // A REPORTER cannot record one.
    expect(onlyError(await gqlAs("REPORTER", RecordVerdictDocument, { input: { claimId: claim.id, rating: "SUPPORTED" } })).extensions?.code).toBe("FORBIDDEN");
    await gqlOkAs("ADMIN", RecordVerdictDocument, { input: { claimId: claim.id, rating: "MOSTLY_SUPPORTED" } });
    expect((await stepOk("publish", inReview)).status).toBe("PUBLISHED");
  });
});

describe("publish gate messages: the API's numbering, grammar, whole words, and a reason not stated", () => {
  const PORT_BODY = "Port officials say cargo fell by a third. Ships waited eleven days to unload.";

  /** A made-up port story with claims at positions 0 and 4 (as the API numbers them), both with a verdict. */
  async function portArticle() {
    const article = await createArticle({ title: "Portvale cargo slump", body: PORT_BODY });
    const first = await createClaim({ articleId: article.id, statement: "The port authority says cargo volumes fell by a third in the first quarter of the year.", position: 0 });
    const second = await createClaim({ articleId: article.id, statement: "Ships waited, on average, eleven days to unload, according to shipping agents, last week.", position: 4 });
    for (const claim of [first, second]) await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: claim.id, rating: "SUPPORTED", rationale: "Port statistics." } });
    const officials = (await createSource("Port officials", "UNNAMED_GROUP")).id;
    const agent = (await createSource("A shipping agent", "PERSON")).id;
    return { article, first, second, officials, agent };
  }

  async function publishError(article: { id: string }) {
    const { version } = await readArticle(article.id);
    const error = onlyError(await gql(PublishArticleDocument, { input: { id: article.id, expectedVersion: version } }));
    expect(error.extensions?.code).toBe("PUBLISH_BLOCKED");
    return error as typeof error & { extensions: { failures: Array<{ claimId: string; position: number; gate: string; message: string }> } };
  }

  it("numbers claims by their position as the API returns it, says a/an by the next word, cuts statements at a whole word, and names each failure's position", async () => {
    const { article, first, second, officials, agent } = await portArticle();
    const anonymous = await attribute({ claimId: first.id, sourceId: officials, role: "CLAIMANT", anonymity: "ANONYMOUS" });
    await attribute({ claimId: second.id, sourceId: officials, role: "CONTEXT", anonymity: "ANONYMOUS", anonymityReason: "Briefing rules" });
    const partial = await attribute({ claimId: second.id, sourceId: agent, role: "EVIDENCE", anonymity: "PARTIAL" });
    await stepOk("submit", article);

    const error = await publishError(article);
    const firstLabel = 'Claim at position 0 ("The port authority says cargo volumes fell by a third in the…")';
    const secondLabel = 'Claim at position 4 ("Ships waited, on average, eleven days to unload, according…")';
    const fix = "without a reason for anonymity: give the publication's reason, or set anonymityReasonNotStated if it gave none";
    expect(error.extensions.failures).toEqual([
      { claimId: first.id, position: 0, gate: "ANONYMITY_REASON_REQUIRED", message: `${firstLabel} has an ANONYMOUS attribution (${anonymous.id}) ${fix}` },
      { claimId: second.id, position: 4, gate: "CLAIMANT_REQUIRED", message: `${secondLabel} has no CLAIMANT attribution` },
      { claimId: second.id, position: 4, gate: "ANONYMITY_REASON_REQUIRED", message: `${secondLabel} has a PARTIAL attribution (${partial.id}) ${fix}` },
    ]);
    expect(error.message).toBe(`Cannot publish: 3 problems. ${error.extensions.failures.map((f) => f.message).join("; ")}`);
    expect(error.message).not.toMatch(/\ba ANONYMOUS|\ban PARTIAL|Claim [0-9]/);
  });

  it("accepts anonymityReasonNotStated instead of an invented reason, and says '1 problem' for one", async () => {
    const { article, first, second, officials, agent } = await portArticle();
    const anonymous = await attribute({ claimId: first.id, sourceId: officials, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReasonNotStated: true });
    const partial = await attribute({ claimId: second.id, sourceId: agent, role: "CLAIMANT", anonymity: "PARTIAL" });
    const inReview = await stepOk("submit", article);
    const error = await publishError(article);
    expect(error.extensions.failures.map((f) => [f.position, f.gate])).toEqual([[4, "ANONYMITY_REASON_REQUIRED"]]);
    expect(error.message).toMatch(/^Cannot publish: 1 problem\. Claim at position 4 /);
    expect(error.message).not.toContain(anonymous.id);

    // The publication gave no reason for the agent's anonymity either: recorded as such, it publishes.
    await gqlOk(UpdateAttributionDocument, { input: { id: partial.id, expectedVersion: partial.version, anonymityReasonNotStated: true } });
    expect((await stepOk("publish", inReview)).status).toBe("PUBLISHED");
  });
});

describe("the seed", () => {
  it("leaves the story PUBLISHED and passing the gates: returned to draft, resubmitted, it publishes again", async () => {
    const { articleId, draftId } = await seedExampleStory(await testPrisma());
    expect(articleId).toBe(STORY.id);
    const story = await readArticle(articleId);
    expect(story.status).toBe("PUBLISHED");
    expect(story.claims).toHaveLength(10);
    expect(story.claims.every((c) => c.anchorState === "ANCHORED" && c.verdict.recordedBy?.role === "FACT_CHECKER")).toBe(true);

    const returned = (await gqlOkAs("FACT_CHECKER", ReturnArticleDocument, { input: { id: articleId, expectedVersion: story.version, reason: "Re-check claim 5." } })).returnArticle;
    expect(returned.status).toBe("DRAFT");
    const republished = await stepOk("publish", await stepOk("submit", returned));
    expect(republished).toMatchObject({ status: "PUBLISHED", version: story.version + 3, publishedAt: "2024-04-13T00:00:00.000Z" });

    const draft = await readArticle(draftId);
    expect(draft).toMatchObject({ id: DRAFT.id, status: "DRAFT" });
  });

  it("adds one local user per role, each of whom can sign in", async () => {
    await seedExampleStory(await testPrisma());
    expect(LOCAL_USERS.map((u) => u.role).sort()).toEqual(["ADMIN", "EDITOR", "FACT_CHECKER", "REPORTER"]);
    for (const user of LOCAL_USERS) {
      const { signIn } = await gqlOkAs(null, SignInDocument, { input: { email: user.email, password: user.password } });
      expect(signIn.user).toMatchObject({ email: user.email, role: user.role });
      expect(new Date(signIn.expiresAt).getTime()).toBeGreaterThan(Date.now());
      const viewer = await viewerForToken(await testPrisma(), signIn.token);
      expect(viewer).toMatchObject({ id: signIn.user.id, role: user.role });
      const wrong = onlyError(await gqlAs(null, SignInDocument, { input: { email: user.email, password: `${user.password}-wrong` } }));
      expect(wrong.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });
});
