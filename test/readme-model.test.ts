import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { seedExampleStory } from "../prisma/seed-data/example-story";
import {
  ReadmeAttributeClaimDocument,
  ReadmeAttributeClaimsDocument,
  ReadmeClaimAnswersDocument,
  ReadmeClusterDocument,
  ReadmeCreateAffiliationDocument,
  ReadmeCreateArticleDocument,
  ReadmeCreateClaimDocument,
  ReadmeCreateSourceDocument,
  ReadmeCreateWorkDocument,
  ReadmePublishDocument,
  ReadmeRecordResponseDocument,
  ReadmeRecordVerdictDocument,
  ReadmeRelateClaimsDocument,
  ReadmeSearchDocument,
  ReadmeSubmitDocument,
} from "./generated/operations";
import { gql, gqlAs, gqlOk, gqlOkAs } from "./support/client";
import { testPrisma } from "./support/environment";
import { failsWithoutChange } from "./support/factories";

/*
 * The story of the README's "Recording real coverage" section, told through GraphQL as an editor
 * (and a fact-checker for the verdicts). It is made up: in January 2013 the Kessport Herald printed
 * an interview in which Deputy Minister Olena Marchuk said the North Pier would close; the Kessport
 * Harbour Authority repeated it in a Chinese-language press release; a Ukrainian news site reported
 * the same claim; the minister answered at a briefing that she never gave the interview.
 * The README copies these inputs and trims these answers: when one changes, change the other.
 */

const PRESS_RELEASE_BODY = "港务局今天表示，北码头将于2014年关闭。渡轮补贴也将取消。港务局一名官员说，疏浚工程已经暂停。";
const UKRAINIAN_BODY = "Міністерство транспорту заявило, що Північний причал закриють у 2014 році. Причал обслуговує пороми до острова.";

describe("the README's model examples (one made-up story)", () => {
  it("records an outside work, affiliations, a press release, a misattribution, a response, a cluster, and publishes", async () => {
    // 1. An outside work claimdesk does not hold, dated to the month.
    const { createWork: interview } = await gqlOk(ReadmeCreateWorkDocument, {
      input: { type: "INTERVIEW", title: "Marchuk: the North Pier has had its day", outlet: "Kessport Herald", language: "en", publicationDate: "2013-01" },
    });
    expect(interview).toMatchObject({ type: "INTERVIEW", publicationDate: "2013-01" });

    // 2. Sources: a ministry, a person holding a post there (an affiliation), an unnamed person.
    const source = async (name: string, kind: "GOVERNMENT" | "PERSON" | "ORGANIZATION" | "NEWS_OUTLET" | "NEWS_AGENCY" | "UNNAMED_PERSON") =>
      (await gqlOk(ReadmeCreateSourceDocument, { input: { name, kind } })).createSource;
    const ministry = await source("Ministry of Transport", "GOVERNMENT");
    const marchuk = await source("Olena Marchuk", "PERSON");
    const authority = await source("Kessport Harbour Authority", "ORGANIZATION");
    const herald = await source("Kessport Herald", "NEWS_OUTLET");
    const agency = await source("Coastal News Agency", "NEWS_AGENCY");
    const official = await source("A harbour authority official", "UNNAMED_PERSON");
    expect(official.kind).toBe("UNNAMED_PERSON");
    const { createAffiliation: deputyMinister } = await gqlOk(ReadmeCreateAffiliationDocument, {
      input: { personId: marchuk.id, organizationId: ministry.id, title: "Deputy Minister", startDate: "2011" },
    });
    expect(deputyMinister).toMatchObject({ title: "Deputy Minister", startDate: "2011", person: { name: "Olena Marchuk" }, organization: { name: "Ministry of Transport" } });

    // 3. A press release with a Chinese title (slug transliterated), dated to the day, its outlet a source.
    const { createArticle: pressRelease } = await gqlOk(ReadmeCreateArticleDocument, {
      input: { title: "港务局关于北码头的声明", type: "PRESS_RELEASE", language: "zh", body: PRESS_RELEASE_BODY, outletSourceId: authority.id, publicationDate: "2013-02-04" },
    });
    expect(pressRelease).toMatchObject({
      slug: expect.stringMatching(/^[a-z0-9-]+$/),
      type: "PRESS_RELEASE",
      publicationDate: "2013-02-04",
      recordPublishedAt: null,
      outletSource: { name: "Kessport Harbour Authority", kind: "ORGANIZATION" },
    });
    expect(pressRelease.slug).not.toMatch(/^article/);

    // 4. Claims; the first two were first made in the Herald's interview.
    const claim = async (statement: string, originWorkId?: string) =>
      (await gqlOk(ReadmeCreateClaimDocument, { input: { articleId: pressRelease.id, statement, ...(originWorkId ? { originWorkId } : {}) } })).createClaim;
    const pierCloses = await claim("The North Pier will close in 2014.", interview.id);
    const subsidyEnds = await claim("The ferry subsidy will end.", interview.id);
    const dredging = await claim("Dredging has been suspended.");
    expect(pierCloses.origin).toEqual({ title: interview.title, outlet: "Kessport Herald", publicationDate: "2013-01" });

    // 6. One via chain on two claims at once: Marchuk (CLAIMANT) -> via the Herald (CONDUIT).
    const { attributeClaims } = await gqlOk(ReadmeAttributeClaimsDocument, {
      input: {
        claimIds: [pierCloses.id, subsidyEnds.id],
        chain: [
          { sourceId: marchuk.id, role: "CLAIMANT", status: "REPUDIATED", capacityId: deputyMinister.id, workId: interview.id, caveat: "The ministry says the interview never took place." },
          { sourceId: herald.id, role: "CONDUIT", workId: interview.id },
        ],
      },
    });
    expect(attributeClaims.attributions.map((a) => [a.claim.position, a.source.name, a.via?.source.name ?? null])).toEqual([
      [0, "Olena Marchuk", "Kessport Herald"],
      [0, "Kessport Herald", null],
      [1, "Olena Marchuk", "Kessport Herald"],
      [1, "Kessport Herald", null],
    ]);
    const marchukOnPier = attributeClaims.attributions[0]!;
    // The misattribution: Marchuk denies saying it, so her link is REPUDIATED, in her capacity, with a caveat.
    expect(marchukOnPier).toMatchObject({
      role: "CLAIMANT",
      status: "REPUDIATED",
      caveat: "The ministry says the interview never took place.",
      capacity: { title: "Deputy Minister", organization: { name: "Ministry of Transport" } },
    });
    expect(attributeClaims.attributions[1]).toMatchObject({ role: "CONDUIT", status: "ASSERTED", caveat: null, capacity: null });

    // 5. The unnamed official: anonymous, and the release gave no reason (recorded as such, not invented).
    const { attributeClaim: unnamed } = await gqlOk(ReadmeAttributeClaimDocument, {
      input: { claimId: dredging.id, sourceId: official.id, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReasonNotStated: true },
    });
    expect(unnamed).toMatchObject({ status: "ASSERTED", anonymity: "ANONYMOUS", anonymityReasonNotStated: true, source: { kind: "UNNAMED_PERSON" } });

    // 7. The response: who, in what capacity, where, when (to the day), through whom, one stance per answer.
    const { recordResponse } = await gqlOk(ReadmeRecordResponseDocument, {
      input: {
        respondentId: marchuk.id,
        capacityId: deputyMinister.id,
        occasion: "Weekly ministry briefing",
        place: "Kessport",
        madeOn: "2013-02-05",
        conduits: [{ sourceId: agency.id }],
        text: "I never gave an interview to the Herald. No decision on the pier has been taken; I cannot discuss the subsidy.",
        answers: [
          { claimId: pierCloses.id, stance: "DENIES", quote: "No decision on the pier has been taken." },
          { claimId: subsidyEnds.id, stance: "NEITHER_CONFIRMS_NOR_DENIES", quote: "I cannot discuss the subsidy." },
          { attributionId: marchukOnPier.id, stance: "DENIES", quote: "I never gave an interview to the Herald." },
        ],
      },
    });
    expect(recordResponse).toMatchObject({
      occasion: "Weekly ministry briefing",
      place: "Kessport",
      madeOn: "2013-02-05",
      respondent: { name: "Olena Marchuk" },
      capacity: { title: "Deputy Minister" },
      conduits: [{ position: 0, source: { name: "Coastal News Agency" } }],
    });
    expect(recordResponse.answers.map((a) => [a.stance, a.claim?.position ?? null, a.attribution?.status ?? null])).toEqual([
      ["DENIES", 0, null],
      ["NEITHER_CONFIRMS_NOR_DENIES", 1, null],
      ["DENIES", null, "REPUDIATED"],
    ]);
    const { claim: pierRead } = await gqlOk(ReadmeClaimAnswersDocument, { claimId: pierCloses.id });
    expect(pierRead!.responses[0]!.answers.map((a) => a.stance)).toEqual(["DENIES", "NEITHER_CONFIRMS_NOR_DENIES", "DENIES"]);
    expect(pierRead!.attributions.find((a) => a.source.name === "Olena Marchuk")!.responses).toHaveLength(1);

    // 8. The same claim in Ukrainian coverage, linked as SAME_CLAIM; the cluster spans both.
    const { createArticle: ukrainian } = await gqlOk(ReadmeCreateArticleDocument, {
      input: { title: "Північний причал закриють у 2014 році", language: "uk", body: UKRAINIAN_BODY, publicationDate: "2013-02" },
    });
    const { createClaim: ukPier } = await gqlOk(ReadmeCreateClaimDocument, { input: { articleId: ukrainian.id, statement: "Північний причал закриють у 2014 році." } });
    const { relateClaims } = await gqlOk(ReadmeRelateClaimsDocument, { input: { fromClaimId: ukPier.id, toClaimId: pierCloses.id, kind: "SAME_CLAIM" } });
    expect(relateClaims.kind).toBe("SAME_CLAIM");
    for (const claimId of [pierCloses.id, subsidyEnds.id, dredging.id]) {
      await gqlOkAs("FACT_CHECKER", ReadmeRecordVerdictDocument, { input: { claimId, rating: claimId === pierCloses.id ? "DISPUTED" : "UNPROVABLE" } });
    }
    const { claim: clustered } = await gqlOk(ReadmeClusterDocument, { claimId: ukPier.id });
    expect(clustered!.cluster).toEqual({
      size: 2,
      languages: ["uk", "zh"],
      articles: expect.arrayContaining([{ slug: pressRelease.slug, language: "zh" }, { slug: ukrainian.slug, language: "uk" }]),
      latestVerdict: { rating: "DISPUTED", claim: { statement: "The North Pier will close in 2014." } },
    });

    // 9. Search: a Ukrainian case form not in the text, a Chinese word inside a clause.
    const found = async (query: string) => (await gqlOk(ReadmeSearchDocument, { query })).search.edges.map((edge) => edge.node);
    const ukHits = await found("причалу");
    expect(ukHits.map((hit) => hit.item)).toContainEqual({ slug: ukrainian.slug });
    expect(ukHits.find((hit) => hit.kind === "ARTICLE")!.snippet).toContain("<mark>");
    const zhHits = await found("补贴");
    expect(zhHits.map((hit) => hit.item)).toContainEqual({ slug: pressRelease.slug });
    expect(zhHits.find((hit) => hit.kind === "ARTICLE")!.snippet).toContain("<mark>补贴</mark>");

    // 10. The same agency entered twice: CONFLICT naming the existing one, nothing written.
    const duplicate = await failsWithoutChange(() => gql(ReadmeCreateSourceDocument, { input: { name: "  coastal news agency ", kind: "NEWS_AGENCY" } }));
    expect(duplicate.extensions).toMatchObject({ code: "CONFLICT", existingId: agency.id });

    // Bad input changes nothing: a date in words, an answer aimed at a claim and an attribution at once.
    const wordDate = await failsWithoutChange(() => gql(ReadmeCreateWorkDocument, { input: { title: "Another interview", publicationDate: "January 2013" } }));
    expect(wordDate.extensions?.code).toBe("BAD_USER_INPUT");
    const twoTargets = await failsWithoutChange(() =>
      gql(ReadmeRecordResponseDocument, {
        input: { respondentId: marchuk.id, text: "No.", answers: [{ claimId: pierCloses.id, attributionId: marchukOnPier.id, stance: "DENIES" }] },
      }),
    );
    expect(twoTargets.extensions?.code).toBe("BAD_USER_INPUT");

    // 11. Publishing stamps recordPublishedAt and leaves the publication date as the release gave it.
    const submitted = (await gqlOk(ReadmeSubmitDocument, { input: { id: pressRelease.id, expectedVersion: 1 } })).submitArticle;
    const before = Date.now();
    const { publishArticle } = await gqlOk(ReadmePublishDocument, { input: { id: pressRelease.id, expectedVersion: submitted.version } });
    expect(publishArticle).toMatchObject({ status: "PUBLISHED", publicationDate: "2013-02-04" });
    expect(Date.parse(publishArticle.recordPublishedAt!)).toBeGreaterThanOrEqual(before - 1000);
    if (process.env.README_EXAMPLE_DUMP) {
      console.log(JSON.stringify({ interview, deputyMinister, pressRelease, pierCloses, attributeClaims, unnamed, recordResponse, relateClaims, clustered, ukHits, zhHits, duplicate, publishArticle }, null, 1));
    }
  });
});

describe("the README's Example section", () => {
  it("prints what the Story query answers for the example story (the fifth claim), to an anonymous reader", async () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## Example"), readme.indexOf("\n## ", readme.indexOf("\n## Example") + 1));
    const query = /```graphql\n([\s\S]*?)```/.exec(section)![1]!;
    const printed = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!) as unknown;
    await seedExampleStory(await testPrisma());
    const document = parse(query) as TypedDocumentNode<{ article: { claims: unknown[] } }, Record<string, never>>;
    const { data, errors } = await gqlAs(null, document);
    expect(errors).toBeUndefined();
    type Shown = { attributions: { source: { name: string } }[]; responses: { answers: { claim: { position: number } }[] }[] };
    const fifth = data!.article.claims[4] as Shown;
    const shown = printed as Shown;
    // The README shows two of the five attributions, and of the response's answers the one to this claim.
    const names = shown.attributions.map((a) => a.source.name);
    expect(fifth.responses[0]!.answers.map((a) => a.claim.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect({
      ...fifth,
      attributions: fifth.attributions.filter((a) => names.includes(a.source.name)),
      responses: fifth.responses.map((r) => ({ ...r, answers: r.answers.filter((a) => a.claim.position === 4) })),
    }).toEqual(printed);
  });
});
