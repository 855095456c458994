/**
 * A small made-up story in the NDJSON format (not the example story), using every record type
 * and every kind of reference: the Harbor Gazette reports the mayor's claim that Harbor City's tap
 * water meets every standard; the water authority answers; a fact-check rates it.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const FACT_CHECKER_EMAIL = "fact-checker@test.claimdesk.local";

const ARTICLE = { externalId: "hg-1001" };
const FACT_CHECK = { slug: "fact-check-is-harbor-city-water-safe" };
const MAYOR = { externalId: "person:lena-ortiz" };
const COUNCIL = { name: "Harbor City Council", kind: "GOVERNMENT" };
const AUTHORITY = { externalId: "org:harbor-water" };
const GAZETTE = { name: "Harbor Gazette", kind: "NEWS_OUTLET" };
const ENGINEER = { name: "Engineers at the treatment plant", kind: "UNNAMED_GROUP" };
const REPORT_2024 = { externalId: "hwa-report-2024" };
const INTERVIEW = { title: "Interview with Mayor Ortiz", outlet: "Harbor Radio", publishedAt: "2025-05-02T00:00:00.000Z" };
const claim = (article: object, position: number) => ({ article, position });
const MAYOR_CAPACITY = { person: MAYOR, organization: COUNCIL, title: "Mayor", startedAt: "2021-01-01T00:00:00.000Z" };

const BODY =
  "Harbor City's tap water meets every federal standard, Mayor Lena Ortiz said on Tuesday. " +
  "Lead levels fell by half since 2022, she said. Engineers at the treatment plant, who were not named, said two filters have been broken since March.";

export const HEADER = { type: "claimdesk-export", formatVersion: 1 };

export function fixtureRecords(): Array<Record<string, unknown>> {
  return [
    HEADER,
    { type: "source", id: "00000000-0000-4000-8000-000000000001", kind: "PERSON", name: "Lena Ortiz", description: "Mayor of Harbor City.", url: null, externalId: "person:lena-ortiz" },
    { type: "source", id: "00000000-0000-4000-8000-000000000002", kind: "GOVERNMENT", name: "Harbor City Council", description: null, url: "https://harbor.example/council", externalId: null },
    { type: "source", id: "00000000-0000-4000-8000-000000000003", kind: "GOVERNMENT", name: "Harbor Water Authority", description: "Runs the treatment plant.", url: null, externalId: "org:harbor-water" },
    { type: "source", id: "00000000-0000-4000-8000-000000000004", kind: "NEWS_OUTLET", name: "Harbor Gazette", description: null, url: null, externalId: null },
    { type: "source", id: "00000000-0000-4000-8000-000000000005", kind: "UNNAMED_GROUP", name: "Engineers at the treatment plant", description: null, url: null, externalId: null, identityNote: "Reached by phone through the union; name known to the editor." },
    { type: "affiliation", id: "00000000-0000-4000-8000-000000000101", person: MAYOR, organization: COUNCIL, title: "Mayor", startedAt: "2021-01-01T00:00:00.000Z", startedPrecision: "YEAR", endedAt: null, endedPrecision: null },
    { type: "work", id: "00000000-0000-4000-8000-000000000201", workType: "REPORT", title: "Annual water quality report 2024", outlet: null, outletSource: AUTHORITY, url: null, language: "en", publishedAt: "2025-03-01T00:00:00.000Z", publishedPrecision: "MONTH", externalId: "hwa-report-2024", note: null },
    { type: "work", id: "00000000-0000-4000-8000-000000000202", workType: "INTERVIEW", title: "Interview with Mayor Ortiz", outlet: "Harbor Radio", outletSource: null, url: null, language: "en", publishedAt: "2025-05-02T00:00:00.000Z", publishedPrecision: "DAY", externalId: null, note: null },
    {
      type: "article", id: "00000000-0000-4000-8000-000000000301", slug: "harbor-city-says-tap-water-meets-every-standard", externalId: "hg-1001",
      title: "Harbor City says tap water meets every standard", summary: "The mayor defends the city's water; engineers disagree.", body: BODY, language: "en",
      outlet: "Harbor Gazette", outletSource: GAZETTE, url: "https://gazette.example/1001", workType: "NEWS_REPORT", publishedAt: "2025-05-06T00:00:00.000Z", publishedPrecision: "DAY",
      recordPublishedAt: "2025-05-06T09:30:00.000Z", status: "PUBLISHED", version: 3, createdAt: "2025-05-05T08:00:00.000Z", updatedAt: "2025-05-06T09:30:00.000Z",
    },
    {
      type: "article", id: "00000000-0000-4000-8000-000000000302", slug: "fact-check-is-harbor-city-water-safe", externalId: null, title: "Fact check: is Harbor City's water safe?",
      summary: null, body: "The mayor's claim that the water meets every standard leaves out the broken filters.", language: "en", outlet: "Coast Checks", outletSource: null, url: null,
      workType: "FACT_CHECK", publishedAt: null, publishedPrecision: null, recordPublishedAt: null, status: "DRAFT",
    },
    {
      type: "claim", id: "00000000-0000-4000-8000-000000000401", article: ARTICLE, position: 0, statement: "Harbor City's tap water meets every federal standard.", kind: "FACTUAL",
      quote: "Harbor City's tap water meets every federal standard", anchorStart: 0, anchorEnd: 52, anchorPrefix: "", anchorSuffix: ", Mayor Lena Ortiz said on Tuesday. Lead lev",
      anchorState: "ANCHORED", cluster: "00000000-0000-4000-8000-000000000901", originWork: INTERVIEW,
    },
    { type: "claim", id: "00000000-0000-4000-8000-000000000402", article: ARTICLE, position: 1, statement: "Lead levels in Harbor City's water fell by half since 2022.", kind: "QUANTITATIVE", quantityValue: 50.5, quantityUnit: "percent", quantitySubject: "lead levels", quantityPeriod: "2022-2025", originWork: REPORT_2024 },
    { type: "claim", id: "00000000-0000-4000-8000-000000000403", article: ARTICLE, position: 2, statement: "Two filters at the treatment plant have been broken since March.", kind: "EVENT" },
    { type: "claim", id: "00000000-0000-4000-8000-000000000404", article: FACT_CHECK, position: 0, statement: "The tap water meets every standard.", kind: "FACTUAL", cluster: "00000000-0000-4000-8000-000000000901" },
    { type: "attribution", id: "00000000-0000-4000-8000-000000000501", claim: claim(ARTICLE, 0), source: MAYOR, role: "CLAIMANT", capacity: MAYOR_CAPACITY, work: INTERVIEW, quote: "meets every federal standard" },
    { type: "attribution", id: "00000000-0000-4000-8000-000000000502", claim: claim(ARTICLE, 0), source: GAZETTE, role: "CONDUIT", via: { claim: claim(ARTICLE, 0), source: MAYOR, role: "CLAIMANT" } },
    { type: "attribution", id: "00000000-0000-4000-8000-000000000503", claim: claim(ARTICLE, 1), source: MAYOR, role: "CLAIMANT", status: "ALLEGED", caveat: "She cited a report not yet published." },
    { type: "attribution", id: "00000000-0000-4000-8000-000000000504", claim: claim(ARTICLE, 2), source: ENGINEER, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReasonNotStated: true },
    { type: "attribution", id: "00000000-0000-4000-8000-000000000505", claim: claim(FACT_CHECK, 0), source: MAYOR, role: "CLAIMANT" },
    {
      type: "response", id: "00000000-0000-4000-8000-000000000601", source: AUTHORITY, text: "The water authority says the filters were repaired in April and the water is safe.",
      quote: "Both filters are back in service.", onRecord: true, madeAt: "2025-05-06T00:00:00.000Z", madePrecision: "DAY", capacity: null, anonymity: "NAMED",
      occasion: "A written statement", place: "Harbor City", work: null,
      answers: [
        { claim: claim(ARTICLE, 2), stance: "CORRECTS", quote: "repaired in April", position: 0 },
        { attribution: { claim: claim(ARTICLE, 0), source: MAYOR, role: "CLAIMANT" }, stance: "CONFIRMS", quote: null, position: 1 },
      ],
      conduits: [{ position: 0, source: GAZETTE, work: null }],
    },
    { type: "verdict", id: "00000000-0000-4000-8000-000000000701", claim: claim(ARTICLE, 0), rating: "UNVERIFIED", rationale: null, reviewUrl: null, recordedBy: null, createdAt: "2025-05-05T08:01:00.000Z" },
    { type: "verdict", id: "00000000-0000-4000-8000-000000000702", claim: claim(ARTICLE, 0), rating: "MISLEADING", rationale: "Two filters were out of service for six weeks.", reviewUrl: "https://checks.example/harbor-water", recordedBy: FACT_CHECKER_EMAIL, createdAt: "2025-05-08T10:00:00.000Z" },
    { type: "claimRelation", id: "00000000-0000-4000-8000-000000000801", from: claim(FACT_CHECK, 0), to: claim(ARTICLE, 0), kind: "SAME_CLAIM", note: null },
    { type: "claimRelation", id: "00000000-0000-4000-8000-000000000802", from: claim(ARTICLE, 2), to: claim(ARTICLE, 0), kind: "CONTRADICTS", note: "The engineers' account." },
  ];
}

/** Writes lines (objects are serialised, strings written as they are) to a temporary file. */
export function writeNdjson(lines: Array<Record<string, unknown> | string>, name = "bulk"): string {
  const file = path.join(os.tmpdir(), `${name}-${process.pid}-${Math.random().toString(36).slice(2)}.ndjson`);
  writeFileSync(file, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return file;
}
