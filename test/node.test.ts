import { randomUUID } from "node:crypto";
import { STORY_SLUG, seedExampleStory } from "../prisma/seed-data/example-story";
import {
  IssueApiTokenDocument,
  NodeByIdDocument,
  NodeMixedDocument,
  NodeTreeWalkDocument,
  NodeTypesDocument,
  UpdateArticleDocument,
} from "./generated/operations";
import { gqlAs, gqlOkAs, onlyError, userFor } from "./support/client";
import { takeStatements, testPrisma } from "./support/environment";
import { createArticleWithClaims, createSource } from "./support/factories";

/** Every `{ __typename, id }` object in a GraphQL answer, by id. */
function typedIds(value: unknown, found = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) for (const item of value) typedIds(item, found);
  else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.id === "string" && typeof record.__typename === "string") found.set(record.id, record.__typename);
    for (const child of Object.values(record)) typedIds(child, found);
  }
  return found;
}

async function resolveAll(actor: "EDITOR" | "ADMIN" | null, ids: string[]) {
  const answered: Array<{ id: string; __typename: string } | null> = [];
  for (let start = 0; start < ids.length; start += 100) {
    answered.push(...(await gqlOkAs(actor, NodeTypesDocument, { ids: ids.slice(start, start + 100) })).nodes);
  }
  return answered;
}

describe("Relay Node: node(id) and nodes(ids)", () => {
  it("resolves every id of a seeded article's tree to its type, for staff and for anonymous readers", async () => {
    const prisma = await testPrisma();
    const { articleId } = await seedExampleStory(prisma);
    // An edit: an audit entry, a body revision and a user in the tree.
    const { version } = await prisma.article.findUniqueOrThrow({ where: { id: articleId } });
    await gqlOkAs("EDITOR", UpdateArticleDocument, { input: { id: articleId, expectedVersion: version, summary: "Edited for the node test." } });

    const { article } = await gqlOkAs("EDITOR", NodeTreeWalkDocument, { slug: STORY_SLUG });
    const tree = typedIds(article);
    const types = new Set(tree.values());
    for (const type of ["Article", "Claim", "Source", "Attribution", "Response", "Verdict", "User", "AuditEntry"]) expect(types).toContain(type);
    expect(tree.size).toBeGreaterThan(20);

    const ids = [...tree.keys()];
    const answered = await resolveAll("EDITOR", ids);
    expect(answered.map((node, i) => [ids[i], node?.id ?? null, node?.__typename ?? null])).toEqual(ids.map((id) => [id, id, tree.get(id)]));

    // Anonymous readers: the published story's items resolve, staff-only items (users, audit) are null.
    const anonymous = await resolveAll(null, ids);
    for (const [i, id] of ids.entries()) {
      const type = tree.get(id)!;
      const expected = ["User", "AuditEntry", "ArticleRevision"].includes(type) ? null : { id, __typename: type };
      expect({ id, type, node: anonymous[i] }).toEqual({ id, type, node: expected });
    }
  });

  it("answers the fields asked for on each type, fragments on Node included, in the order of the ids", async () => {
    const { article, claims } = await createArticleWithClaims(["The bridge cost 4 million."], { title: "Bridge budget" });
    const source = await createSource("Harbour Council", "GOVERNMENT");
    const missing = randomUUID();
    const { nodes } = await gqlOkAs("EDITOR", NodeMixedDocument, { ids: [source.id, claims[0]!.id, missing, article.id, "not-an-id", article.id] });
    expect(nodes).toEqual([
      { __typename: "Source", id: source.id, name: "Harbour Council" },
      { __typename: "Claim", id: claims[0]!.id, statement: "The bridge cost 4 million.", article: { id: article.id } },
      null,
      { __typename: "Article", id: article.id, title: "Bridge budget", status: "DRAFT" },
      null,
      { __typename: "Article", id: article.id, title: "Bridge budget", status: "DRAFT" },
    ]);
    const { node } = await gqlOkAs("EDITOR", NodeByIdDocument, { id: article.id });
    expect(node).toEqual({ id: article.id, nodeId: article.id, title: "Bridge budget" });
    expect((await gqlOkAs("EDITOR", NodeByIdDocument, { id: claims[0]!.id })).node).toEqual({ id: claims[0]!.id, nodeId: claims[0]!.id, statement: "The bridge cost 4 million." });
    expect((await gqlOkAs("EDITOR", NodeByIdDocument, { id: missing })).node).toBeNull();
  });

  it("hides what the type's own field hides: drafts from anonymous readers, audit from them, tokens from non-admins", async () => {
    const { article, claims } = await createArticleWithClaims(["A draft claim."], { title: "Draft" });
    expect((await gqlOkAs(null, NodeByIdDocument, { id: article.id })).node).toBeNull();
    expect((await gqlOkAs(null, NodeTypesDocument, { ids: [article.id, claims[0]!.id] })).nodes).toEqual([null, null]);
    expect((await gqlOkAs("REPORTER", NodeByIdDocument, { id: article.id })).node).toMatchObject({ id: article.id, title: "Draft" });

    const entry = await (await testPrisma()).auditEntry.findFirstOrThrow({ where: { entityId: article.id } });
    expect((await gqlOkAs(null, NodeByIdDocument, { id: entry.id })).node).toBeNull();
    expect((await gqlOkAs("FACT_CHECKER", NodeByIdDocument, { id: entry.id })).node).toEqual({ id: entry.id, nodeId: entry.id, action: "CREATE", entityId: article.id });

    const reporter = await userFor("REPORTER");
    const { issueApiToken } = await gqlOkAs("ADMIN", IssueApiTokenDocument, { input: { userId: reporter.id, name: "node test" } });
    const tokenId = issueApiToken.apiToken.id;
    expect((await gqlOkAs("ADMIN", NodeTypesDocument, { ids: [tokenId, reporter.id] })).nodes).toEqual([
      { __typename: "ApiToken", id: tokenId },
      { __typename: "User", id: reporter.id },
    ]);
    expect((await gqlOkAs("EDITOR", NodeTypesDocument, { ids: [tokenId, reporter.id] })).nodes).toEqual([null, { __typename: "User", id: reporter.id }]);
    expect((await gqlOkAs(null, NodeTypesDocument, { ids: [tokenId, reporter.id] })).nodes).toEqual([null, null]);
  });

  it("reads ids of three types in a bounded number of statements, not one per id", async () => {
    const { article, claims } = await createArticleWithClaims(["One.", "Two.", "Three.", "Four.", "Five."]);
    const sources = await Promise.all(["Alpha Agency", "Beta Agency", "Gamma Agency"].map((name) => createSource(name)));
    const ids = [article.id, ...claims.map((claim) => claim.id), ...sources.map((source) => source.id)];
    takeStatements();
    const { nodes } = await gqlOkAs("EDITOR", NodeMixedDocument, { ids });
    const statements = takeStatements();
    expect(nodes.map((node) => node?.__typename)).toEqual(["Article", "Claim", "Claim", "Claim", "Claim", "Claim", "Source", "Source", "Source"]);
    // One to find the types, one per type.
    expect(statements).toHaveLength(4);
  });

  it("refuses more than 100 ids (BAD_USER_INPUT) and answers an empty list with an empty list", async () => {
    const ids = Array.from({ length: 101 }, () => randomUUID());
    const error = onlyError(await gqlAs("EDITOR", NodeTypesDocument, { ids }));
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await gqlOkAs("EDITOR", NodeTypesDocument, { ids: [] })).nodes).toEqual([]);
  });
});
