import { Prisma } from "../src/generated/prisma/client";
import { Compiler } from "../src/shared/planner/compile";
import { column, defineTable } from "../src/shared/planner/table";
import { ArticleClaimWindowsDocument } from "./generated/operations";
import { gqlOkAs } from "./support/client";
import { testPrisma } from "./support/environment";
import { attribute, createArticleWithClaims, createSource } from "./support/factories";

/**
 * The read planner (src/shared/planner) compiles a root field's selection once per document,
 * viewer role and value of the variables the selection uses: each of these must still get its
 * own answer, and aliases of one list with different arguments their own rows.
 */
describe("read planner", () => {
  async function world() {
    const { article, claims } = await createArticleWithClaims(["First.", "Second.", "Third."], { body: "First. Second. Third." });
    const source = await createSource("Ministry spokesperson", "PERSON", { identityNote: "Jane Doe, deputy spokesperson" });
    await attribute({ claimId: claims[0]!.id, sourceId: source.id, role: "CLAIMANT" });
    await (await testPrisma()).article.update({ where: { id: article.id }, data: { status: "PUBLISHED" } });
    return { article, claims };
  }

  it("gives each variable value, alias and viewer role of one document its own rows", async () => {
    const { article, claims } = await world();
    const ids = claims.map((claim) => claim.id);
    const run = (actor: "EDITOR" | "REPORTER" | null, few: number, withQuotes: boolean) => gqlOkAs(actor, ArticleClaimWindowsDocument, { id: article.id, few, withQuotes });

    const first = (await run(null, 2, false)).article!;
    expect(first.one.map((claim) => claim.id)).toEqual(ids.slice(0, 1));
    expect(first.few.map((claim) => claim.id)).toEqual(ids.slice(0, 2));
    expect(first.few[0]).not.toHaveProperty("quote");
    expect(first.all.map((claim) => claim.id)).toEqual(ids);
    expect(first.all[0]!.attributions[0]!.source.identityNote).toBeNull();

    // Same document, other values of the variables its selection uses.
    const second = (await run(null, 3, true)).article!;
    expect(second.few.map((claim) => claim.id)).toEqual(ids);
    expect(second.few[0]).toHaveProperty("quote");

    // Same document and variables, other roles: an EDITOR reads identity notes, a REPORTER does not.
    expect((await run("EDITOR", 2, false)).article!.all[0]!.attributions[0]!.source.identityNote).toBe("Jane Doe, deputy spokesperson");
    expect((await run("REPORTER", 2, false)).article!.all[0]!.attributions[0]!.source.identityNote).toBeNull();
    // And the anonymous plan was not replaced by the EDITOR's.
    expect((await run(null, 2, false)).article!.all[0]!.attributions[0]!.source.identityNote).toBeNull();
  });

  it("builds objects wider than json_build_object's 100 arguments", async () => {
    const fields = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`f${i}`, column(`($.x + ${i - 1})`)]));
    const table = defineTable({ type: "Wide", table: "unused", visible: () => Prisma.sql`TRUE`, keys: {}, fields });
    const compiler = new Compiler(new Map([["Wide", table]]), null);
    const selection = Object.fromEntries(Object.keys(fields).map((name) => [name, { name, alias: name, args: {}, fieldsByTypeName: {} }]));
    const object = compiler.object(table, "w", selection);
    const rows = await (await testPrisma()).$queryRaw<Array<{ j: Record<string, number> }>>`SELECT ${object.sql} AS j FROM (SELECT 1 AS x) w`;
    expect(Object.keys(rows[0]!.j)).toHaveLength(70);
    expect(rows[0]!.j.f69).toBe(69);
  });
});
