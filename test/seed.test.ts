import { CLAIMS, RESPONSE, STORY, STORY_SLUG, seedExampleStory, seedId } from "../prisma/seed-data/example-story";
import { SourcesDocument, StoryReadDocument, type StoryReadQuery } from "./generated/operations";
import { gqlOk } from "./support/client";
import { databaseSnapshot, testPrisma } from "./support/environment";

type StoryClaim = NonNullable<StoryReadQuery["article"]>["claims"][number];

async function seedAndRead() {
  const { articleId } = await seedExampleStory(await testPrisma());
  expect(articleId).toBe(STORY.id);
  const { article } = await gqlOk(StoryReadDocument, { slug: STORY_SLUG });
  if (!article) throw new Error("the seeded story cannot be read back by its slug");
  return article;
}

function attributionsBy(claim: StoryClaim, sourceName: string) {
  return claim.attributions.filter((a) => a.source.name === sourceName);
}

/** The one attribution of `claim` to `sourceName`. */
function attributionOf(claim: StoryClaim, sourceName: string) {
  const found = attributionsBy(claim, sourceName);
  expect(found.map((a) => `${claim.position}:${a.source.name}`)).toEqual([`${claim.position}:${sourceName}`]);
  return found[0]!;
}

const iso = (value: unknown) => new Date(value as string).toISOString();

/** Claim n of the story (1-based, as numbered in example-story.md). */
const claimNo = (claims: readonly StoryClaim[], n: number) => claims[n - 1]!;

describe("the example story seed", () => {
  it("is the DW article of 2024-04-13, published, crediting Reuters and AFP", async () => {
    const article = await seedAndRead();
    expect(article).toMatchObject({
      id: STORY.id,
      slug: "china-fills-russias-critical-war-gaps-us-says",
      title: "China fills Russia's critical war gaps, US says",
      outlet: "DW",
      language: "en",
      status: "PUBLISHED",
      url: null,
    });
    expect(iso(article.publishedAt)).toBe("2024-04-13T00:00:00.000Z");
    expect(article.body).toContain("Reuters and AFP");
    expect(article.summary).toBeTruthy();
    expect((await gqlOk(StoryReadDocument, { id: STORY.id })).article?.slug).toBe(STORY_SLUG);
  });

  it("holds the 10 claims in reading order, with their kinds", async () => {
    const { claims } = await seedAndRead();
    expect(claims.map((c) => c.id)).toEqual(CLAIMS.map((c) => seedId(`claim:${c.key}`)));
    expect(claims.map((c) => c.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(claims.map((c) => c.kind)).toEqual(["FACTUAL", "FACTUAL", "FACTUAL", "FACTUAL", "QUANTITATIVE", "FACTUAL", "FACTUAL", "FACTUAL", "ASSESSMENT", "EVENT"]);
    expect(claims.map((c) => c.statement)).toEqual(CLAIMS.map((c) => c.statement));
    expect(claimNo(claims, 1).statement).toMatch(/drone and missile technology/);
    expect(claimNo(claims, 2).statement).toMatch(/satellite imagery/);
    expect(claimNo(claims, 3).statement).toMatch(/space-based capabilities/);
    expect(claimNo(claims, 4).statement).toMatch(/turbojet engines, machine tools, microelectronics and optical components/);
    expect(claimNo(claims, 5).statement).toMatch(/2023.*90%.*microelectronics/);
    expect(claimNo(claims, 6).statement).toMatch(/Dalian Machine Tool Group/);
    expect(claimNo(claims, 7).statement).toMatch(/optical components.*tanks and armoured vehicles/);
    expect(claimNo(claims, 8).statement).toMatch(/nitrocellulose/);
    expect(claimNo(claims, 9).statement).toMatch(/largest defence expansion since the Soviet era/);
    expect(claimNo(claims, 10).statement).toMatch(/Biden raised .* call with Xi/);
  });

  it("gives claim 5 its quantity (90 %, 2023) and no other claim one", async () => {
    const { claims } = await seedAndRead();
    expect(claimNo(claims, 5).quantity).toMatchObject({ value: 90, unit: "%", period: "2023" });
    expect(claimNo(claims, 5).quantity?.subject).toMatch(/microelectronics imports/);
    expect(claims.filter((c) => c.quantity !== null).map((c) => c.position)).toEqual([4]);
  });

  it("anchors every claim in the body: the anchor text is body.slice(start, end)", async () => {
    const { body, claims } = await seedAndRead();
    for (const [i, claim] of claims.entries()) {
      const anchor = claim.anchor;
      expect(anchor).not.toBeNull();
      expect(anchor!.exact).toBe(body.slice(anchor!.start, anchor!.end));
      expect(anchor!.exact).toBe(CLAIMS[i]!.quote);
      expect(claim.quote).toBe(anchor!.exact);
      expect(anchor!.prefix).toBe(body.slice(Math.max(0, anchor!.start - anchor!.prefix.length), anchor!.start));
      expect(anchor!.suffix).toBe(body.slice(anchor!.end, anchor!.end + anchor!.suffix.length));
      expect(anchor!.prefix.length + anchor!.suffix.length).toBeGreaterThan(0);
    }
  });

  it("leaves every claim UNVERIFIED, with a one-entry history", async () => {
    const { claims } = await seedAndRead();
    for (const claim of claims) {
      expect(claim.verdict.rating).toBe("UNVERIFIED");
      expect(claim.verdicts.map((v) => v.rating)).toEqual(["UNVERIFIED"]);
      expect(claim.verdicts[0]!.id).toBe(claim.verdict.id);
    }
  });

  it("attributes every claim to the officials: an UNNAMED_GROUP CLAIMANT, ANONYMOUS with a reason, via Reuters via DW", async () => {
    const { claims } = await seedAndRead();
    for (const claim of claims) {
      const officials = attributionOf(claim, "Senior US officials");
      expect(officials).toMatchObject({
        role: "CLAIMANT",
        anonymity: "ANONYMOUS",
        source: { kind: "UNNAMED_GROUP" },
        via: { role: "CONDUIT", source: { name: "Reuters" }, via: { role: "CONDUIT", source: { name: "DW (Deutsche Welle)" }, via: null } },
      });
      expect(officials.anonymityReason).toMatch(/anonymity/);
      expect(claim.attributions.filter((a) => a.role === "CLAIMANT")).toHaveLength(1);
      const dw = attributionOf(claim, "DW (Deutsche Welle)");
      expect(dw).toMatchObject({ role: "CONDUIT", anonymity: "NAMED", anonymityReason: null, via: null, source: { kind: "NEWS_OUTLET" } });
      expect(attributionOf(claim, "Reuters")).toMatchObject({ role: "CONDUIT", anonymity: "NAMED", source: { kind: "NEWS_AGENCY" }, via: { id: dw.id } });
    }
    expect(attributionOf(claimNo(claims, 9), "Senior US officials").quote).toBe("would struggle to sustain its war effort without PRC inputs");
  });

  it("has AFP carry claims 1-7, 9 and 10 but not 8 (nitrocellulose, Reuters only)", async () => {
    const { claims } = await seedAndRead();
    const carriedByAfp = claims.filter((c) => attributionsBy(c, "AFP").length > 0).map((c) => c.position + 1);
    expect(carriedByAfp).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10]);
    for (const n of carriedByAfp) {
      expect(attributionOf(claimNo(claims, n), "AFP")).toMatchObject({ role: "CONDUIT", source: { kind: "NEWS_AGENCY" }, via: { source: { name: "DW (Deutsche Welle)" } } });
    }
    const nitrocellulose = claimNo(claims, 8);
    expect(nitrocellulose.statement).toMatch(/nitrocellulose/);
    expect(nitrocellulose.attributions.filter((a) => a.role === "CONDUIT").map((a) => a.source.name).sort()).toEqual(["DW (Deutsche Welle)", "Reuters"]);
  });

  it("cites the US intelligence data as the EVIDENCE of every claim, through the officials", async () => {
    const { claims } = await seedAndRead();
    for (const claim of claims) {
      expect(attributionOf(claim, "US intelligence data")).toMatchObject({ role: "EVIDENCE", source: { kind: "DATASET" }, via: { role: "CLAIMANT", source: { name: "Senior US officials" } } });
      expect(claim.attributions.filter((a) => a.role === "EVIDENCE")).toHaveLength(1);
    }
  });

  it("names Dalian Machine Tool Group for claim 6 and Biden and Xi for claim 10, as context", async () => {
    const { claims } = await seedAndRead();
    const context = claims.map((c) => c.attributions.filter((a) => a.role === "CONTEXT").map((a) => `${a.source.name} (${a.source.kind})`));
    expect(context).toEqual([[], [], [], [], [], ["Dalian Machine Tool Group (COMPANY)"], [], [], [], ["Joe Biden (PERSON)", "Xi Jinping (PERSON)"]]);
  });

  it("has the Chinese Embassy's on-record, named response DENY exactly claims 1-8", async () => {
    const { claims } = await seedAndRead();
    const rebutted = claims.filter((c) => c.responses.length > 0).map((c) => c.position + 1);
    expect(rebutted).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const n of rebutted) {
      const responses = claimNo(claims, n).responses;
      expect(responses).toHaveLength(1);
      expect(responses[0]).toMatchObject({
        id: RESPONSE.id,
        anonymity: "NAMED",
        onRecord: true,
        quote: "not a producer of or party involved in the Ukraine crisis",
        respondent: { name: "Chinese Embassy in the United States", kind: "GOVERNMENT" },
      });
      // A DENIES answer per claim, in reading order.
      expect(responses[0]!.answers).toEqual(claims.slice(0, 8).map((c) => ({ stance: "DENIES", claim: { id: c.id } })));
    }
  });

  it("includes the people and organisations the story names, with their kinds", async () => {
    await seedExampleStory(await testPrisma());
    const { sources } = await gqlOk(SourcesDocument, { first: 100 });
    const kinds = Object.fromEntries(sources.edges.map((e) => [e.node.name, e.node.kind]));
    expect(kinds).toMatchObject({
      "Dalian Machine Tool Group": "COMPANY",
      "Joe Biden": "PERSON",
      "Xi Jinping": "PERSON",
      "Vladimir Putin": "PERSON",
      "Olaf Scholz": "PERSON",
      Reuters: "NEWS_AGENCY",
      AFP: "NEWS_AGENCY",
      "DW (Deutsche Welle)": "NEWS_OUTLET",
      "Chinese Embassy in the United States": "GOVERNMENT",
      "Senior US officials": "UNNAMED_GROUP",
      "US intelligence data": "DATASET",
    });
    expect(new Set(sources.edges.map((e) => e.node.name)).size).toBe(sources.totalCount);
    const persons = await gqlOk(SourcesDocument, { first: 100, filter: { kind: ["PERSON"] } });
    expect(persons.sources.edges.map((e) => e.node.name).sort()).toEqual(["Joe Biden", "Olaf Scholz", "Vladimir Putin", "Xi Jinping"]);
  });

  it("can run twice: no row added, duplicated or changed", async () => {
    const prisma = await testPrisma();
    await seedExampleStory(prisma);
    const first = await databaseSnapshot();
    const counts = (snapshot: Record<string, unknown[]>) => Object.fromEntries(Object.entries(snapshot).map(([table, rows]) => [table, rows.length]));
    expect(counts(first)).toMatchObject({ article: 2, claim: 10, source: 12, attribution: 52, response: 1, response_answer: 8, verdict: 10 });
    await seedExampleStory(prisma);
    const second = await databaseSnapshot();
    expect(counts(second)).toEqual(counts(first));
    expect(second).toEqual(first);
  });
});
