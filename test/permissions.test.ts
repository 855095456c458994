import { randomUUID } from "node:crypto";
import type { Role } from "../src/shared/viewer";
import type { ArticleStatus } from "../src/generated/prisma/client";
import { hashPassword } from "../src/modules/user/user.password";
import { issueToken } from "../src/modules/user/user.tokens";
import { buildSchema } from "../src/schema";
import {
  ApiTokensDocument,
  ArchiveArticleDocument,
  ArticleHistoryDocument,
  ArticleRevisionsDocument,
  ArticlesDocument,
  ArticleTreeDocument,
  AttributeClaimDocument,
  AttributeClaimsDocument,
  AttributionByIdDocument,
  AuditLogDocument,
  ClaimsDocument,
  ClaimTreeByIdDocument,
  CreateAffiliationDocument,
  CreateArticleDocument,
  CreateClaimDocument,
  CreateRebuttalDocument,
  CreateSourceDocument,
  CreateUserDocument,
  CreateWorkDocument,
  DeleteAffiliationDocument,
  DeleteArticleDocument,
  DeleteClaimDocument,
  DeleteRebuttalDocument,
  DeleteResponseDocument,
  RecordResponseDocument,
  UpdateResponseDocument,
  DeleteSourceDocument,
  DeleteWorkDocument,
  IssueApiTokenDocument,
  PublishArticleDocument,
  RebuttalByIdDocument,
  RecordVerdictDocument,
  RelateClaimsDocument,
  RemoveAttributionDocument,
  RestoreArticleDocument,
  ReturnArticleDocument,
  RevokeApiTokenDocument,
  SearchDocument,
  SignInDocument,
  SignOutDocument,
  SourcesDocument,
  SourceTreeByIdDocument,
  SubmitArticleDocument,
  UnrelateClaimsDocument,
  UpdateAffiliationDocument,
  UpsertArticleDocument,
  UpsertSourceDocument,
  BatchDocument,
  UpdateArticleDocument,
  UpdateAttributionDocument,
  UpdateClaimDocument,
  UpdateRebuttalDocument,
  UpdateSourceDocument,
  UpdateUserDocument,
  UpdateWorkDocument,
  UsersDocument,
} from "./generated/operations";
import { gqlAs, gqlOkAs, onlyError, userFor, type Actor, type GqlResult } from "./support/client";
import { databaseSnapshot, testPrisma } from "./support/environment";

/*
 * Who may do what. The matrix below is the contract (docs/api.md, "Roles and permissions", shows the
 * same table); it is derived from the policies in src/modules/*\/*.policy.ts and src/shared/access.ts.
 *
 *   ✓           allowed
 *   ✗           denied: FORBIDDEN for a signed-in role, UNAUTHENTICATED for an anonymous reader,
 *               and the database is left exactly as it was
 *   own drafts  a REPORTER only on an article they created, while it is a DRAFT (the article itself,
 *               its claims, their attributions and rebuttals); FORBIDDEN on another's article and
 *               on their own once submitted
 *   own         a REPORTER only on an article they created (FORBIDDEN on another's)
 *
 * A row with a note in parentheses is a variant of the mutation (same mutation, different input).
 */
const ALLOWED = "✓";
const DENIED = "✗";
const OWN_DRAFTS = "own drafts";
type Cell = typeof ALLOWED | typeof DENIED | typeof OWN_DRAFTS | "own";

const ACTORS: readonly Actor[] = ["ADMIN", "EDITOR", "FACT_CHECKER", "REPORTER", null];

// prettier-ignore
const MATRIX: ReadonlyArray<readonly [mutation: string, admin: Cell, editor: Cell, factChecker: Cell, reporter: Cell, anonymous: Cell]> = [
  //  mutation                              ADMIN  EDITOR FACT_CHECKER REPORTER    anonymous
  ["signIn",                                "✓",   "✓",   "✓",         "✓",        "✓"],
  ["signOut",                               "✓",   "✓",   "✓",         "✓",        "✗"],
  ["createUser",                            "✓",   "✗",   "✗",         "✗",        "✗"],
  ["updateUser",                            "✓",   "✗",   "✗",         "✗",        "✗"],
  ["issueApiToken",                         "✓",   "✗",   "✗",         "✗",        "✗"],
  ["revokeApiToken",                        "✓",   "✗",   "✗",         "✗",        "✗"],
  ["createArticle",                         "✓",   "✓",   "✗",         "✓",        "✗"],
  ["updateArticle",                         "✓",   "✓",   "✗",         "own drafts", "✗"],
  ["deleteArticle",                         "✓",   "✓",   "✗",         "own drafts", "✗"],
  ["submitArticle",                         "✓",   "✓",   "✗",         "own",      "✗"],
  ["publishArticle",                        "✓",   "✓",   "✗",         "✗",        "✗"],
  ["returnArticle",                         "✓",   "✓",   "✓",         "✗",        "✗"],
  ["archiveArticle",                        "✓",   "✓",   "✗",         "✗",        "✗"],
  ["restoreArticle",                        "✓",   "✓",   "✗",         "✗",        "✗"],
  ["createClaim",                           "✓",   "✓",   "✗",         "own drafts", "✗"],
  ["updateClaim",                           "✓",   "✓",   "✗",         "own drafts", "✗"],
  ["deleteClaim",                           "✓",   "✓",   "✗",         "own drafts", "✗"],
  ["attributeClaim",                        "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["attributeClaims",                       "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["updateAttribution",                     "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["removeAttribution",                     "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["createRebuttal",                        "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["updateRebuttal",                        "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["deleteRebuttal",                        "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["recordResponse",                        "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["updateResponse",                        "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["deleteResponse",                        "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["createSource",                          "✓",   "✓",   "✓",         "✓",        "✗"],
  ["createSource (with identityNote)",      "✓",   "✓",   "✗",         "✗",        "✗"],
  ["updateSource",                          "✓",   "✓",   "✓",         "✗",        "✗"],
  ["updateSource (with identityNote)",      "✓",   "✓",   "✗",         "✗",        "✗"],
  ["deleteSource",                          "✓",   "✓",   "✗",         "✗",        "✗"],
  ["createAffiliation",                     "✓",   "✓",   "✓",         "✓",        "✗"],
  ["updateAffiliation",                     "✓",   "✓",   "✓",         "✗",        "✗"],
  ["deleteAffiliation",                     "✓",   "✓",   "✗",         "✗",        "✗"],
  ["createWork",                            "✓",   "✓",   "✓",         "✓",        "✗"],
  ["updateWork",                            "✓",   "✓",   "✓",         "✗",        "✗"],
  ["deleteWork",                            "✓",   "✓",   "✗",         "✗",        "✗"],
  ["recordVerdict",                         "✓",   "✓",   "✓",         "✗",        "✗"],
  ["relateClaims",                          "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["unrelateClaims",                        "✓",   "✓",   "✓",         "own drafts", "✗"],
  ["upsertArticle (new)",                   "✓",   "✓",   "✗",         "✓",        "✗"],
  ["upsertArticle (existing)",              "✓",   "✓",   "✗",         "own drafts", "✗"],
  ["upsertSource (new)",                    "✓",   "✓",   "✓",         "✓",        "✗"],
  ["upsertSource (existing, changed)",      "✓",   "✓",   "✓",         "✗",        "✗"],
  ["upsertSource (existing, unchanged)",    "✓",   "✓",   "✓",         "✓",        "✗"],
  ["batch (a claim of an article)",         "✓",   "✓",   "✗",         "own drafts", "✗"],
  ["batch (a verdict)",                     "✓",   "✓",   "✓",         "✗",        "✗"],
];

const mutationOf = (row: string) => row.split(" ")[0]!;
const actorName = (actor: Actor) => actor ?? "anonymous";

/*
 * Fixtures, written straight to the database (fast, and without audit entries of their own): an
 * article with one claim, its CLAIMANT attribution to a source, a rebuttal by that source, a verdict
 * by a fact-checker (so that the article passes the publish gates), and a source nobody uses.
 */
interface Bundle {
  articleId: string;
  slug: string;
  claimId: string;
  attributionId: string;
  rebuttalId: string;
  sourceId: string;
  unusedSourceId: string;
}

let counter = 0;

async function makeBundle(owner: Role, status: ArticleStatus, word = `item${++counter}`): Promise<Bundle> {
  const prisma = await testPrisma();
  const n = ++counter;
  const author = await userFor(owner);
  const checker = await userFor("FACT_CHECKER");
  const article = await prisma.article.create({
    data: {
      slug: `${word}-article-${n}`,
      title: `The ${word} article`,
      body: `Officials said the ${word} was green.`,
      status,
      publishedAt: status === "PUBLISHED" ? new Date("2024-04-13T00:00:00Z") : null,
      createdById: author.id,
    },
  });
  const source = await prisma.source.create({ data: { kind: "PERSON", name: `The ${word} source` } });
  const unused = await prisma.source.create({ data: { kind: "ORGANIZATION", name: `The ${word} bystander` } });
  const claim = await prisma.claim.create({ data: { articleId: article.id, statement: `The ${word} was green`, currentRating: "SUPPORTED" } });
  await prisma.verdict.create({ data: { claimId: claim.id, rating: "UNVERIFIED" } });
  await prisma.verdict.create({ data: { claimId: claim.id, rating: "SUPPORTED", rationale: "Seen.", recordedById: checker.id } });
  const attribution = await prisma.attribution.create({ data: { claimId: claim.id, sourceId: source.id, role: "CLAIMANT" } });
  const rebuttal = await prisma.response.create({
    data: { sourceId: source.id, text: `The ${word} was blue.`, answers: { create: [{ claimId: claim.id, stance: "DENIES" }] } },
  });
  return {
    articleId: article.id,
    slug: article.slug,
    claimId: claim.id,
    attributionId: attribution.id,
    rebuttalId: rebuttal.id,
    sourceId: source.id,
    unusedSourceId: unused.id,
  };
}

/** A user who can sign in (the hash is computed once: scrypt is slow on purpose). */
const SIGN_IN = { email: "signin@test.claimdesk.local", password: "matrix sign-in password" };
let signInHash: Promise<string> | undefined;

/** What the user and token mutations act on: the REPORTER test user, an API token of theirs, a user who can sign in. */
async function userFixtures() {
  const prisma = await testPrisma();
  const reporter = await userFor("REPORTER");
  signInHash ??= hashPassword(SIGN_IN.password);
  await prisma.user.create({ data: { email: SIGN_IN.email, name: "Sign In", role: "EDITOR", passwordHash: await signInHash } });
  const { record } = await issueToken(prisma, reporter.id, "API", { name: "matrix token" });
  return { reporterId: reporter.id, apiTokenId: record.id };
}

type Fixtures = Awaited<ReturnType<typeof userFixtures>>;

interface Case {
  /** The status the target article is in (DRAFT unless the mutation needs another). */
  status?: ArticleStatus;
  /** Adds what the mutation needs to a target bundle, before the database snapshot of a denial. */
  prepare?(target: Bundle): Promise<void>;
  run(actor: Actor, target: Bundle, fx: Fixtures): Promise<GqlResult<unknown>>;
}

/** Claim relations: a second claim in the bundle's article, with a SUPPORTS relation to the first. */
const relatedIn = new Map<string, { otherClaimId: string; relationId: string }>();
async function addRelatedClaim(target: Bundle) {
  const prisma = await testPrisma();
  const other = await prisma.claim.create({ data: { articleId: target.articleId, statement: "A second claim", position: 1 } });
  const relation = await prisma.claimRelation.create({ data: { fromClaimId: other.id, toClaimId: target.claimId, kind: "SUPPORTS" } });
  relatedIn.set(target.articleId, { otherClaimId: other.id, relationId: relation.id });
}

/** Reference data: a work, an organisation and a post at it held by the bundle's (unused) source turned person. */
const referenceIn = new Map<string, { workId: string; organizationId: string; affiliationId: string }>();
async function addReferenceData(target: Bundle) {
  const prisma = await testPrisma();
  const work = await prisma.work.create({ data: { title: `A newspaper piece ${target.articleId}` } });
  const organization = await prisma.source.create({ data: { kind: "GOVERNMENT", name: `A ministry ${target.articleId}` } });
  const person = await prisma.source.create({ data: { kind: "PERSON", name: `A spokesperson ${target.articleId}` } });
  const affiliation = await prisma.affiliation.create({ data: { personId: person.id, organizationId: organization.id, title: "Spokesperson" } });
  referenceIn.set(target.articleId, { workId: work.id, organizationId: organization.id, affiliationId: affiliation.id });
}
const reference = (target: Bundle) => referenceIn.get(target.articleId)!;

/** How each row of the matrix is exercised. The same input for every role. */
const CASES: Record<string, Case> = {
  signIn: { run: (actor) => gqlAs(actor, SignInDocument, { input: SIGN_IN }) },
  signOut: { run: (actor) => gqlAs(actor, SignOutDocument) },
  createUser: {
    run: (actor) =>
      gqlAs(actor, CreateUserDocument, { input: { email: "new.user@newsroom.example", name: "New User", role: "REPORTER", password: "a long enough password" } }),
  },
  updateUser: { run: (actor, _t, fx) => gqlAs(actor, UpdateUserDocument, { input: { id: fx.reporterId, name: "Renamed Reporter" } }) },
  issueApiToken: { run: (actor, _t, fx) => gqlAs(actor, IssueApiTokenDocument, { input: { userId: fx.reporterId, name: "another token" } }) },
  revokeApiToken: { run: (actor, _t, fx) => gqlAs(actor, RevokeApiTokenDocument, { id: fx.apiTokenId }) },

  createArticle: { run: (actor) => gqlAs(actor, CreateArticleDocument, { input: { title: "A new article", body: "Text." } }) },
  updateArticle: { run: (actor, t) => gqlAs(actor, UpdateArticleDocument, { input: { id: t.articleId, expectedVersion: 1, title: "A changed title" } }) },
  deleteArticle: { run: (actor, t) => gqlAs(actor, DeleteArticleDocument, { input: { id: t.articleId, expectedVersion: 1 } }) },
  submitArticle: { run: (actor, t) => gqlAs(actor, SubmitArticleDocument, { input: { id: t.articleId, expectedVersion: 1 } }) },
  publishArticle: { status: "IN_REVIEW", run: (actor, t) => gqlAs(actor, PublishArticleDocument, { input: { id: t.articleId, expectedVersion: 1 } }) },
  returnArticle: {
    status: "IN_REVIEW",
    run: (actor, t) => gqlAs(actor, ReturnArticleDocument, { input: { id: t.articleId, expectedVersion: 1, reason: "Needs a second source." } }),
  },
  archiveArticle: { run: (actor, t) => gqlAs(actor, ArchiveArticleDocument, { input: { id: t.articleId, expectedVersion: 1 } }) },
  restoreArticle: { status: "ARCHIVED", run: (actor, t) => gqlAs(actor, RestoreArticleDocument, { input: { id: t.articleId, expectedVersion: 1 } }) },

  createClaim: { run: (actor, t) => gqlAs(actor, CreateClaimDocument, { input: { articleId: t.articleId, statement: "Another claim" } }) },
  updateClaim: { run: (actor, t) => gqlAs(actor, UpdateClaimDocument, { input: { id: t.claimId, expectedVersion: 1, statement: "A changed claim" } }) },
  deleteClaim: { run: (actor, t) => gqlAs(actor, DeleteClaimDocument, { input: { id: t.claimId, expectedVersion: 1 } }) },

  attributeClaim: { run: (actor, t) => gqlAs(actor, AttributeClaimDocument, { input: { claimId: t.claimId, sourceId: t.sourceId, role: "EVIDENCE" } }) },
  attributeClaims: { run: (actor, t) => gqlAs(actor, AttributeClaimsDocument, { input: { claimIds: [t.claimId], chain: [{ sourceId: t.sourceId, role: "EVIDENCE" }] } }) },
  updateAttribution: { run: (actor, t) => gqlAs(actor, UpdateAttributionDocument, { input: { id: t.attributionId, expectedVersion: 1, quote: "We said so." } }) },
  removeAttribution: { run: (actor, t) => gqlAs(actor, RemoveAttributionDocument, { input: { id: t.attributionId, expectedVersion: 1 } }) },

  createRebuttal: {
    run: (actor, t) => gqlAs(actor, CreateRebuttalDocument, { input: { sourceId: t.sourceId, claimIds: [t.claimId], stance: "DISPUTES", text: "Not quite." } }),
  },
  updateRebuttal: { run: (actor, t) => gqlAs(actor, UpdateRebuttalDocument, { input: { id: t.rebuttalId, expectedVersion: 1, text: "Changed rebuttal." } }) },
  deleteRebuttal: { run: (actor, t) => gqlAs(actor, DeleteRebuttalDocument, { input: { id: t.rebuttalId, expectedVersion: 1 } }) },
  recordResponse: {
    run: (actor, t) => gqlAs(actor, RecordResponseDocument, { input: { respondentId: t.sourceId, text: "Cannot confirm.", answers: [{ claimId: t.claimId, stance: "NEITHER_CONFIRMS_NOR_DENIES" }] } }),
  },
  updateResponse: { run: (actor, t) => gqlAs(actor, UpdateResponseDocument, { input: { id: t.rebuttalId, expectedVersion: 1, occasion: "A briefing" } }) },
  deleteResponse: { run: (actor, t) => gqlAs(actor, DeleteResponseDocument, { input: { id: t.rebuttalId, expectedVersion: 1 } }) },

  createSource: { run: (actor) => gqlAs(actor, CreateSourceDocument, { input: { kind: "PERSON", name: "A new source" } }) },
  "createSource (with identityNote)": {
    run: (actor) => gqlAs(actor, CreateSourceDocument, { input: { kind: "PERSON", name: "A protected source", identityNote: "Real name, reached by phone." } }),
  },
  updateSource: { run: (actor, t) => gqlAs(actor, UpdateSourceDocument, { input: { id: t.sourceId, expectedVersion: 1, description: "Described." } }) },
  "updateSource (with identityNote)": {
    run: (actor, t) => gqlAs(actor, UpdateSourceDocument, { input: { id: t.sourceId, expectedVersion: 1, identityNote: "Real name, reached by phone." } }),
  },
  deleteSource: { run: (actor, t) => gqlAs(actor, DeleteSourceDocument, { input: { id: t.unusedSourceId, expectedVersion: 1 } }) },

  createAffiliation: {
    prepare: addReferenceData,
    run: (actor, t) => gqlAs(actor, CreateAffiliationDocument, { input: { personId: t.sourceId, organizationId: reference(t).organizationId, title: "Adviser" } }),
  },
  updateAffiliation: {
    prepare: addReferenceData,
    run: (actor, t) => gqlAs(actor, UpdateAffiliationDocument, { input: { id: reference(t).affiliationId, expectedVersion: 1, title: "Chief spokesperson" } }),
  },
  deleteAffiliation: { prepare: addReferenceData, run: (actor, t) => gqlAs(actor, DeleteAffiliationDocument, { input: { id: reference(t).affiliationId, expectedVersion: 1 } }) },
  createWork: { run: (actor) => gqlAs(actor, CreateWorkDocument, { input: { title: "An interview", type: "INTERVIEW" } }) },
  updateWork: { prepare: addReferenceData, run: (actor, t) => gqlAs(actor, UpdateWorkDocument, { input: { id: reference(t).workId, expectedVersion: 1, note: "May never have taken place." } }) },
  deleteWork: { prepare: addReferenceData, run: (actor, t) => gqlAs(actor, DeleteWorkDocument, { input: { id: reference(t).workId, expectedVersion: 1 } }) },

  recordVerdict: { run: (actor, t) => gqlAs(actor, RecordVerdictDocument, { input: { claimId: t.claimId, rating: "REFUTED", rationale: "Checked." } }) },

  relateClaims: {
    prepare: addRelatedClaim,
    run: (actor, t) => gqlAs(actor, RelateClaimsDocument, { input: { fromClaimId: t.claimId, toClaimId: relatedIn.get(t.articleId)!.otherClaimId, kind: "SAME_CLAIM" } }),
  },
  unrelateClaims: { prepare: addRelatedClaim, run: (actor, t) => gqlAs(actor, UnrelateClaimsDocument, { input: { id: relatedIn.get(t.articleId)!.relationId } }) },

  // Upserts and batches: the rules of the write each one turns into (schema/upsert.graphql).
  "upsertArticle (new)": { run: (actor) => gqlAs(actor, UpsertArticleDocument, { input: { externalId: "matrix:new", title: "A new article" } }) },
  "upsertArticle (existing)": { run: (actor, t) => gqlAs(actor, UpsertArticleDocument, { input: { slug: t.slug, title: "A changed title" } }) },
  "upsertSource (new)": { run: (actor) => gqlAs(actor, UpsertSourceDocument, { input: { kind: "PERSON", name: "A new source" } }) },
  "upsertSource (existing, changed)": { run: async (actor, t) => gqlAs(actor, UpsertSourceDocument, { input: { kind: "PERSON", name: await sourceName(t), description: "Described." } }) },
  "upsertSource (existing, unchanged)": { run: async (actor, t) => gqlAs(actor, UpsertSourceDocument, { input: { kind: "PERSON", name: await sourceName(t) } }) },
  "batch (a claim of an article)": {
    run: (actor, t) => gqlAs(actor, BatchDocument, { input: { operations: [{ upsertClaim: { articleId: t.articleId, position: 7, statement: "Another claim" } }] } }),
  },
  "batch (a verdict)": {
    run: (actor, t) => gqlAs(actor, BatchDocument, { input: { operations: [{ recordVerdict: { claimId: t.claimId, rating: "REFUTED", rationale: "Checked." } }] } }),
  },
};

async function sourceName(target: Bundle) {
  return (await (await testPrisma()).source.findUniqueOrThrow({ where: { id: target.sourceId } })).name;
}

function expectAllowed(result: GqlResult<unknown>) {
  expect(result.errors).toBeUndefined();
  expect(result.data).not.toBeNull();
  expect(result.data).toBeDefined();
}

/** Denied: the one error of the role (FORBIDDEN, or UNAUTHENTICATED when anonymous), and nothing written. */
async function expectDenied(actor: Actor, attempt: () => Promise<GqlResult<unknown>>) {
  const before = await databaseSnapshot();
  const result = await attempt();
  const error = onlyError(result);
  expect({ code: error.extensions?.code, message: error.message }).toEqual({
    code: actor ? "FORBIDDEN" : "UNAUTHENTICATED",
    message: expect.any(String),
  });
  expect(result.data ?? null).toBeNull();
  expect(await databaseSnapshot()).toEqual(before);
}

describe("the permission matrix", () => {
  it("has a row for every mutation of the schema, and a case for every row", () => {
    const mutations = Object.keys(buildSchema().getMutationType()!.getFields()).sort();
    expect([...new Set(MATRIX.map(([row]) => mutationOf(row)))].sort()).toEqual(mutations);
    expect(Object.keys(CASES).sort()).toEqual(MATRIX.map(([row]) => row).sort());
    expect(new Set(MATRIX.map(([row]) => row)).size).toBe(MATRIX.length);
  });

  const rows = MATRIX.flatMap(([row, ...cells]) => ACTORS.map((actor, i) => ({ row, actor, who: actorName(actor), cell: cells[i]! })));

  it.each(rows)("$row as $who: $cell", async ({ row, actor, cell }) => {
    const testCase = CASES[row]!;
    const status = testCase.status ?? "DRAFT";
    const fx = await userFixtures();
    const makeTarget = async (owner: Role, targetStatus: ArticleStatus) => {
      const target = await makeBundle(owner, targetStatus);
      await testCase.prepare?.(target);
      return target;
    };
    if (cell === ALLOWED || cell === DENIED) {
      // The target is a REPORTER's article: a role that is denied is denied for its role alone.
      const target = await makeTarget("REPORTER", status);
      if (cell === ALLOWED) {
        expectAllowed(await testCase.run(actor, target, fx));
        return;
      }
      // An anonymous reader is told to sign in, whether the target is public (a PUBLISHED article
      // and its claims, attributions, rebuttals and sources) or not.
      if (actor === null && status !== "PUBLISHED") {
        const published = await makeTarget("REPORTER", "PUBLISHED");
        await expectDenied(actor, () => testCase.run(actor, published, fx));
      }
      await expectDenied(actor, () => testCase.run(actor, target, fx));
      return;
    }
    expect(actor).toBe("REPORTER");
    const own = await makeTarget("REPORTER", status);
    const othersDraft = await makeTarget("EDITOR", status);
    await expectDenied(actor, () => testCase.run(actor, othersDraft, fx));
    if (cell === OWN_DRAFTS) {
      for (const submitted of ["IN_REVIEW", "PUBLISHED", "ARCHIVED"] as const) {
        const ownSubmitted = await makeTarget("REPORTER", submitted);
        await expectDenied(actor, () => testCase.run(actor, ownSubmitted, fx));
      }
    }
    expectAllowed(await testCase.run(actor, own, fx));
  });
});

/*
 * Reads. Anonymous readers see PUBLISHED articles and what hangs off them; everything else answers
 * exactly as an id that does not exist does, and is neither listed nor counted.
 */

describe("what an anonymous reader sees", () => {
  /** Everything an anonymous reader could ask about the hidden article `h` and the published `p`. */
  async function anonymousAnswers(p: Bundle, h: Bundle) {
    return {
      articleById: await gqlAs(null, ArticleTreeDocument, { id: h.articleId }),
      articleBySlug: await gqlAs(null, ArticleTreeDocument, { slug: h.slug }),
      claim: await gqlAs(null, ClaimTreeByIdDocument, { id: h.claimId }),
      attribution: await gqlAs(null, AttributionByIdDocument, { id: h.attributionId }),
      rebuttal: await gqlAs(null, RebuttalByIdDocument, { id: h.rebuttalId }),
      source: await gqlAs(null, SourceTreeByIdDocument, { id: h.sourceId }),
      unusedSource: await gqlAs(null, SourceTreeByIdDocument, { id: h.unusedSourceId }),
      claimsOfArticle: await gqlAs(null, ClaimsDocument, { first: 50, filter: { articleId: h.articleId } }),
      claimsOfSource: await gqlAs(null, ClaimsDocument, { first: 50, filter: { sourceId: h.sourceId } }),
      articlesOfSource: await gqlAs(null, ArticlesDocument, { first: 50, filter: { sourceId: h.sourceId } }),
      // The lists, and the published work that shares a source with the hidden article.
      articles: await gqlAs(null, ArticlesDocument, { first: 50 }),
      claims: await gqlAs(null, ClaimsDocument, { first: 50 }),
      sources: await gqlAs(null, SourcesDocument, { first: 50 }),
      sourcesByName: await gqlAs(null, SourcesDocument, { first: 50, filter: { name: "hidden" } }),
      publishedArticle: await gqlAs(null, ArticleTreeDocument, { id: p.articleId }),
      sharedSource: await gqlAs(null, SourceTreeByIdDocument, { id: p.sourceId }),
      searchHidden: await gqlAs(null, SearchDocument, { query: "hidden", first: 50 }),
      searchPublished: await gqlAs(null, SearchDocument, { query: "published", first: 50 }),
    };
  }

  /** The same questions about ids that never existed. */
  async function answersForMissingIds() {
    const id = randomUUID();
    return {
      articleById: await gqlAs(null, ArticleTreeDocument, { id }),
      articleBySlug: await gqlAs(null, ArticleTreeDocument, { slug: "no-such-article" }),
      claim: await gqlAs(null, ClaimTreeByIdDocument, { id }),
      attribution: await gqlAs(null, AttributionByIdDocument, { id }),
      rebuttal: await gqlAs(null, RebuttalByIdDocument, { id }),
      source: await gqlAs(null, SourceTreeByIdDocument, { id }),
      unusedSource: await gqlAs(null, SourceTreeByIdDocument, { id }),
      claimsOfArticle: await gqlAs(null, ClaimsDocument, { first: 50, filter: { articleId: id } }),
      claimsOfSource: await gqlAs(null, ClaimsDocument, { first: 50, filter: { sourceId: id } }),
      articlesOfSource: await gqlAs(null, ArticlesDocument, { first: 50, filter: { sourceId: id } }),
    };
  }

  /** Removes the hidden article with its claims, attributions, rebuttals and sources. */
  async function deleteBundle(b: Bundle) {
    const prisma = await testPrisma();
    await prisma.response.deleteMany({ where: { answers: { some: { claim: { articleId: b.articleId } } } } });
    await prisma.article.delete({ where: { id: b.articleId } });
    await prisma.source.deleteMany({ where: { id: { in: [b.sourceId, b.unusedSourceId] } } });
  }

  it.each<ArticleStatus>(["DRAFT", "IN_REVIEW", "ARCHIVED"])(
    "a %s article, its claims, attributions, rebuttals and sources answer exactly as ids that do not exist, and are neither listed nor counted",
    async (status) => {
      const p = await makeBundle("REPORTER", "PUBLISHED", "published");
      const h = await makeBundle("REPORTER", status, "hidden");
      // The hidden article also cites the published article's source, which that source must not reveal.
      const prisma = await testPrisma();
      const sharedAttribution = await prisma.attribution.create({ data: { claimId: h.claimId, sourceId: p.sourceId, role: "EVIDENCE" } });
      const sharedRebuttal = await prisma.response.create({
        data: { sourceId: p.sourceId, text: "The hidden one is wrong.", answers: { create: [{ claimId: h.claimId, stance: "CORRECTS" }] } },
      });

      // Signed-in staff see all of it (so that what follows is not vacuous).
      const staff = await gqlOkAs("REPORTER", ArticleTreeDocument, { id: h.articleId });
      expect(staff.article?.claims[0]?.attributions.map((a) => a.id).sort()).toEqual([h.attributionId, sharedAttribution.id].sort());
      expect((await gqlOkAs("REPORTER", SourceTreeByIdDocument, { id: h.unusedSourceId })).source?.id).toBe(h.unusedSourceId);
      expect((await gqlOkAs("REPORTER", SearchDocument, { query: "hidden", first: 50 })).search.totalCount).toBeGreaterThan(0);

      const answers = await anonymousAnswers(p, h);
      const missing = await answersForMissingIds();
      // Same answer, same shape, as for ids that never existed.
      for (const key of Object.keys(missing) as Array<keyof typeof missing>) {
        expect({ key, answer: answers[key] }).toEqual({ key, answer: missing[key] });
      }
      expect(answers.articleById).toEqual({ data: { article: null } });
      expect(answers.claimsOfArticle.data?.claims.totalCount).toBe(0);

      // The published article is there with everything that hangs off it, and nothing of the hidden one.
      expect(answers.publishedArticle.data?.article).toMatchObject({
        id: p.articleId,
        status: "PUBLISHED",
        claims: [{ id: p.claimId, attributions: [{ id: p.attributionId, source: { id: p.sourceId } }], rebuttals: [{ id: p.rebuttalId, claims: [{ id: p.claimId }] }] }],
      });
      // Who wrote the article and who judged the claim are staff matters.
      expect(answers.publishedArticle.data?.article?.createdBy).toBeNull();
      expect(answers.publishedArticle.data?.article?.claims[0]?.verdict).toEqual({ rating: "SUPPORTED", recordedBy: null });
      const staffView = (await gqlOkAs("REPORTER", ArticleTreeDocument, { id: p.articleId })).article;
      expect(staffView?.createdBy?.id).toBe((await userFor("REPORTER")).id);
      expect(staffView?.claims[0]?.verdict.recordedBy?.id).toBe((await userFor("FACT_CHECKER")).id);
      expect(answers.sharedSource.data?.source).toEqual({
        id: p.sourceId,
        name: "The published source",
        attributions: [{ id: p.attributionId, claim: { id: p.claimId } }],
        rebuttals: [{ id: p.rebuttalId, claims: [{ id: p.claimId }] }],
      });
      expect(answers.articles.data?.articles.totalCount).toBe(1);
      expect(answers.claims.data?.claims.totalCount).toBe(1);
      expect(answers.sources.data?.sources.edges.map((e) => e.node.id)).toEqual([p.sourceId]);
      expect(answers.searchHidden.data?.search.totalCount).toBe(0);
      expect(answers.searchPublished.data?.search.edges.map((e) => e.node.item.id).sort()).toEqual([p.articleId, p.claimId, p.sourceId].sort());

      // Not listed, not counted: every answer is the same once the hidden work is gone altogether.
      await prisma.response.delete({ where: { id: sharedRebuttal.id } });
      await deleteBundle(h);
      expect(await anonymousAnswers(p, h)).toEqual(answers);
    },
  );

  it("can not read the audit log, an article's history or its revisions; only an ADMIN lists users and API tokens", async () => {
    const p = await makeBundle("REPORTER", "PUBLISHED", "published");
    expect(onlyError(await gqlAs(null, AuditLogDocument, { first: 5 })).extensions?.code).toBe("UNAUTHENTICATED");
    expect(onlyError(await gqlAs(null, ArticleHistoryDocument, { id: p.articleId, first: 5 }))).toMatchObject({ path: ["article", "history"], extensions: { code: "UNAUTHENTICATED" } });
    expect(onlyError(await gqlAs(null, ArticleRevisionsDocument, { id: p.articleId }))).toMatchObject({ path: ["article", "revisions"], extensions: { code: "UNAUTHENTICATED" } });
    expect(onlyError(await gqlAs(null, UsersDocument)).extensions?.code).toBe("UNAUTHENTICATED");
    expect(onlyError(await gqlAs(null, ApiTokensDocument, {})).extensions?.code).toBe("UNAUTHENTICATED");
    for (const role of ["ADMIN", "EDITOR", "FACT_CHECKER", "REPORTER"] as const) {
      expect((await gqlOkAs(role, AuditLogDocument, { first: 5 })).auditLog.totalCount).toBe(0);
      expect((await gqlOkAs(role, ArticleHistoryDocument, { id: p.articleId, first: 5 })).article?.history.totalCount).toBe(0);
      expect((await gqlOkAs(role, ArticleRevisionsDocument, { id: p.articleId })).article?.revisions).toEqual([]);
    }
    expect((await gqlOkAs("ADMIN", UsersDocument)).users).toHaveLength(4);
    expect((await gqlOkAs("ADMIN", ApiTokensDocument, {})).apiTokens).toEqual([]);
    for (const role of ["EDITOR", "FACT_CHECKER", "REPORTER"] as const) {
      expect(onlyError(await gqlAs(role, UsersDocument)).extensions?.code).toBe("FORBIDDEN");
      expect(onlyError(await gqlAs(role, ApiTokensDocument, {})).extensions?.code).toBe("FORBIDDEN");
    }
  });
});
