import { seedExampleStory } from "../prisma/seed-data/example-story";
import { buildContext } from "../src/context";
import type { Viewer } from "../src/shared/viewer";
import { testPrisma } from "./support/environment";

/**
 * The hot loaders are hand-written SQL (`$queryRaw` over the column lists of `src/shared/sql.ts`):
 * their rows must be exactly what Prisma's own `findMany` returns for the same model (same keys,
 * Dates as Date, enums as strings, nulls as null), for every row of the example story.
 */
const EDITOR: Viewer = { id: "00000000-0000-4000-8000-000000000001", role: "EDITOR", name: "E", email: "e@example.com" };

describe("raw loaders return Prisma's rows", () => {
  it("for articles, claims, sources, attributions, responses and verdicts", async () => {
    const prisma = await testPrisma();
    await seedExampleStory(prisma);
    // A claim with every optional column set, and a source and rebuttal with theirs.
    const article = await prisma.article.findFirstOrThrow({ where: { status: "PUBLISHED" } });
    await prisma.claim.create({
      data: {
        articleId: article.id,
        statement: "Every column",
        kind: "QUANTITATIVE",
        quote: "q",
        anchorStart: 0,
        anchorEnd: 1,
        anchorPrefix: "",
        anchorSuffix: "x",
        anchorState: "ORPHANED",
        quantityValue: 12.5,
        quantityUnit: "%",
        quantitySubject: "s",
        quantityPeriod: "p",
        currentRating: "REFUTED",
        verdicts: { create: [{ rating: "REFUTED", rationale: "r" }] },
      },
    });
    await prisma.source.create({ data: { kind: "PERSON", name: "Full", description: "d", url: "https://x", externalId: "ext-1", identityNote: "n" } });
    const ctx = buildContext(prisma, EDITOR);
    const loaders = ctx.loaders;

    const articles = await prisma.article.findMany();
    expect(await loaders.articleById.loadMany(articles.map((a) => a.id))).toStrictEqual(articles);

    const claims = await prisma.claim.findMany();
    expect(await loaders.claimById.loadMany(claims.map((c) => c.id))).toStrictEqual(claims);
    expect(await loaders.claimByIdOfVisibleAttribution.loadMany(claims.map((c) => c.id))).toStrictEqual(claims);
    expect((await loaders.claimsByVisibleArticleId.loadMany(articles.map((a) => a.id))).flat()).toStrictEqual(
      await prisma.claim.findMany({ where: { articleId: { in: articles.map((a) => a.id) } }, orderBy: [{ articleId: "asc" }, { position: "asc" }, { createdAt: "asc" }, { id: "asc" }] }).then((rows) =>
        articles.flatMap((a) => rows.filter((row) => row.articleId === a.id)),
      ),
    );

    const sources = await prisma.source.findMany();
    expect(sources.some((s) => s.identityNote && s.externalId && s.url)).toBe(true);
    expect(await loaders.sourceByIdOfVisibleParent.loadMany(sources.map((s) => s.id))).toStrictEqual(sources);

    const attributions = await prisma.attribution.findMany();
    expect(attributions.some((a) => a.viaId)).toBe(true);
    expect(await loaders.attributionById.loadMany(attributions.map((a) => a.id))).toStrictEqual(attributions);

    // A response with every optional column set: a capacity, a work, a conduit, an answer to an attribution.
    const person = await prisma.source.create({ data: { kind: "PERSON", name: "Spokesperson" } });
    const ministry = await prisma.source.create({ data: { kind: "GOVERNMENT", name: "Ministry" } });
    const post = await prisma.affiliation.create({
      data: { personId: person.id, organizationId: ministry.id, title: "Spokesperson", startedAt: new Date("2020-01-01T00:00:00Z"), startedPrecision: "YEAR", endedAt: new Date("2024-05-01T00:00:00Z"), endedPrecision: "MONTH" },
    });
    const work = await prisma.work.create({
      data: { type: "PRESS_RELEASE", title: "Statement", outlet: "Ministry", outletSourceId: ministry.id, url: "https://example.org/s", language: "en", publishedAt: new Date("2024-04-12T00:00:00Z"), publishedPrecision: "DAY", externalId: "w-1", note: "n" },
    });
    await prisma.response.create({
      data: {
        sourceId: person.id,
        text: "Every column",
        quote: "q",
        onRecord: false,
        madeAt: new Date("2024-04-12T00:00:00Z"),
        madePrecision: "DAY",
        capacityId: post.id,
        anonymity: "PARTIAL",
        anonymityReason: "r",
        caveat: "c",
        occasion: "o",
        place: "p",
        workId: work.id,
        answers: { create: [{ attributionId: attributions[0]!.id, stance: "NEITHER_CONFIRMS_NOR_DENIES", quote: "aq", position: 0 }] },
        conduits: { create: [{ position: 0, sourceId: ministry.id, workId: work.id }] },
      },
    });
    const responses = await prisma.response.findMany();
    expect(responses.length).toBeGreaterThan(1);
    expect((await loaders.responsesBySourceId.loadMany(responses.map((r) => r.sourceId))).flat()).toEqual(expect.arrayContaining(responses));
    const answers = await prisma.responseAnswer.findMany({ include: { response: true, claim: true } });
    for (const { response, claim, ...answer } of answers) {
      expect(await loaders.answersByResponseId.load(response.id)).toContainEqual(answer);
      if (answer.claimId) {
        expect((await loaders.responsesByVisibleClaimId.load(answer.claimId)).map((l) => l.response)).toContainEqual(response);
        expect((await loaders.claimsByResponseId.load(response.id)).map((l) => l.claim)).toContainEqual(claim);
      } else {
        expect((await loaders.responsesByVisibleAttributionId.load(answer.attributionId!)).map((l) => l.response)).toContainEqual(response);
      }
    }
    const conduits = await prisma.responseConduit.findMany();
    for (const conduit of conduits) expect(await loaders.conduitsByResponseId.load(conduit.responseId)).toContainEqual(conduit);
    expect(await loaders.workById.load(work.id)).toStrictEqual(await prisma.work.findUnique({ where: { id: work.id } }));
    expect(await loaders.affiliationByIdOfVisibleResponse.load(post.id)).toStrictEqual(await prisma.affiliation.findUnique({ where: { id: post.id } }));

    // latestVerdictByClaimId was primed by claimsByVisibleArticleId above (joined verdicts); a
    // fresh context loads it with its own statement: both must be Prisma's latest verdict.
    const unprimed = buildContext(prisma, EDITOR).loaders;
    for (const claim of claims) {
      const verdicts = await prisma.verdict.findMany({ where: { claimId: claim.id }, orderBy: { sequence: "desc" } });
      expect(await loaders.verdictsByClaimId.load(claim.id)).toStrictEqual(verdicts);
      expect(await loaders.latestVerdictByClaimId.load(claim.id)).toStrictEqual(verdicts[0] ?? null);
      expect(await unprimed.latestVerdictByClaimId.load(claim.id)).toStrictEqual(verdicts[0] ?? null);
    }
    expect(claims.some((claim) => claim.currentRating !== "UNVERIFIED")).toBe(true);
  });
});
