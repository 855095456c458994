/**
 * The example story claimdesk is designed around (../shared/example-story.md): a DW article of
 * 2024-04-13 on what US officials say China supplies to Russia's war effort, and China's denial.
 * The body is a summary written for this seed, with short attributed quotes; not the original text.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "../../src/db/prisma";
import type { AnonymityLevel, AttributionRole, ClaimKind, SourceKind } from "../../src/generated/prisma/client";
import { resolveAnchor } from "../../src/modules/claim/claim.anchor";
import { seedLocalUsers } from "./local-users";

/** Stable ids, so that seeding twice updates nothing and duplicates nothing. */
export function seedId(key: string): string {
  const hex = createHash("sha1").update(`claimdesk-seed:${key}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const STORY_SLUG = "china-fills-russias-critical-war-gaps-us-says";

const BODY = `China is helping Russia fill critical gaps in its war against Ukraine, senior US officials said on Friday. They briefed reporters on condition of anonymity and cited US intelligence data that they showed to the press.

According to the officials, China is supplying Russia with drone and missile technology. They said China shares satellite imagery with Russia and helps improve Russia's satellite and space-based capabilities for use in Ukraine.

The officials said China has sharply increased its sales to Russia of drone and turbojet engines, machine tools, microelectronics and optical components that Russia uses to build missiles, tanks, aircraft and other weapons. In 2023, about 90% of Russia's microelectronics imports came from China, they said.

The materials name Dalian Machine Tool Group, one of China's largest machine-tool makers, among the suppliers. Chinese companies also supply optical components used in Russian tanks and armoured vehicles, the officials said. According to Reuters, citing the officials, China supplies nitrocellulose, which is used to make propellants.

The officials assessed that Russia is undertaking its largest defence expansion since the Soviet era, faster than Washington expected, and said Russia "would struggle to sustain its war effort without PRC inputs".

US President Joe Biden raised the issue in his recent call with Chinese President Xi Jinping, the officials said. German Chancellor Olaf Scholz is due to travel to Beijing this weekend. Xi and Russian President Vladimir Putin have declared a partnership with "no limits".

The Chinese Embassy in the US rejected the accusations. It said China is "not a producer of or party involved in the Ukraine crisis" and urged Washington not to interfere in "normal trade relationships" between China and Russia.

With reporting by Reuters and AFP.`;

export const STORY = {
  id: seedId("article:dw-china-russia"),
  slug: STORY_SLUG,
  title: "China fills Russia's critical war gaps, US says",
  summary:
    "Senior US officials, speaking anonymously and citing US intelligence, say China supplies Russia with drone and missile technology, satellite imagery and weapons components. The Chinese Embassy denies it.",
  body: BODY,
  language: "en",
  outlet: "DW",
  url: null,
  publishedAt: new Date("2024-04-13T00:00:00Z"),
};

type SourceKey = "officials" | "intel" | "reuters" | "afp" | "dw" | "embassy" | "dalian" | "biden" | "xi" | "putin" | "scholz" | "usGovernment";

export const SOURCES: Record<SourceKey, { kind: SourceKind; name: string; description: string }> = {
  officials: { kind: "UNNAMED_GROUP", name: "Senior US officials", description: "Senior US administration officials who briefed reporters on condition of anonymity." },
  intel: { kind: "DATASET", name: "US intelligence data", description: "Intelligence material the officials cited and showed to reporters; not published." },
  usGovernment: { kind: "GOVERNMENT", name: "United States government", description: "The US administration and intelligence community." },
  reuters: { kind: "NEWS_AGENCY", name: "Reuters", description: "International news agency; credited on the DW article." },
  afp: { kind: "NEWS_AGENCY", name: "AFP", description: "Agence France-Presse; credited on the DW article." },
  dw: { kind: "NEWS_OUTLET", name: "DW (Deutsche Welle)", description: "German international broadcaster; published the article." },
  embassy: { kind: "GOVERNMENT", name: "Chinese Embassy in the United States", description: "Diplomatic mission of the People's Republic of China in Washington." },
  dalian: { kind: "COMPANY", name: "Dalian Machine Tool Group", description: "One of China's largest machine-tool makers." },
  biden: { kind: "PERSON", name: "Joe Biden", description: "President of the United States (2021-2025)." },
  xi: { kind: "PERSON", name: "Xi Jinping", description: "President of the People's Republic of China." },
  putin: { kind: "PERSON", name: "Vladimir Putin", description: "President of Russia." },
  scholz: { kind: "PERSON", name: "Olaf Scholz", description: "German Chancellor (2021-2025); travelling to Beijing that weekend." },
};

interface ClaimSeed {
  key: string;
  statement: string;
  kind: ClaimKind;
  quote: string;
  quantity?: { value: number; unit: string; subject: string; period: string };
  /** Reported by Reuters alone (not AFP). */
  reutersOnly?: boolean;
  context?: SourceKey[];
  officialsQuote?: string;
}

export const CLAIMS: ClaimSeed[] = [
  { key: "c1", kind: "FACTUAL", statement: "China is helping Russia's military effort by supplying drone and missile technology.", quote: "China is supplying Russia with drone and missile technology" },
  { key: "c2", kind: "FACTUAL", statement: "China shares satellite imagery with Russia for its war in Ukraine.", quote: "China shares satellite imagery with Russia" },
  { key: "c3", kind: "FACTUAL", statement: "China helps improve Russia's satellite and space-based capabilities for use in Ukraine.", quote: "helps improve Russia's satellite and space-based capabilities for use in Ukraine" },
  {
    key: "c4",
    kind: "FACTUAL",
    statement: "China has drastically increased sales to Russia of drone and turbojet engines, machine tools, microelectronics and optical components used to make missiles, tanks, aircraft and other weapons.",
    quote: "China has sharply increased its sales to Russia of drone and turbojet engines, machine tools, microelectronics and optical components that Russia uses to build missiles, tanks, aircraft and other weapons",
  },
  {
    key: "c5",
    kind: "QUANTITATIVE",
    statement: "In 2023 about 90% of Russia's microelectronics imports came from China.",
    quote: "In 2023, about 90% of Russia's microelectronics imports came from China",
    quantity: { value: 90, unit: "%", subject: "share of Russia's microelectronics imports coming from China", period: "2023" },
  },
  {
    key: "c6",
    kind: "FACTUAL",
    statement: "Dalian Machine Tool Group is among the Chinese suppliers of Russia's military industry.",
    quote: "The materials name Dalian Machine Tool Group, one of China's largest machine-tool makers, among the suppliers",
    context: ["dalian"],
  },
  { key: "c7", kind: "FACTUAL", statement: "Chinese companies supply optical components used in Russian tanks and armoured vehicles.", quote: "Chinese companies also supply optical components used in Russian tanks and armoured vehicles" },
  { key: "c8", kind: "FACTUAL", statement: "China supplies Russia with nitrocellulose, used to make propellants.", quote: "China supplies nitrocellulose, which is used to make propellants", reutersOnly: true },
  {
    key: "c9",
    kind: "ASSESSMENT",
    statement: "Russia is undertaking its largest defence expansion since the Soviet era, faster than the US expected, and would struggle to sustain its war effort without Chinese inputs.",
    quote: 'Russia is undertaking its largest defence expansion since the Soviet era, faster than Washington expected, and said Russia "would struggle to sustain its war effort without PRC inputs"',
    officialsQuote: "would struggle to sustain its war effort without PRC inputs",
  },
  {
    key: "c10",
    kind: "EVENT",
    statement: "Joe Biden raised China's support for Russia's military in his recent call with Xi Jinping.",
    quote: "Joe Biden raised the issue in his recent call with Chinese President Xi Jinping",
    context: ["biden", "xi"],
  },
];

/**
 * The Chinese Embassy's denial: a response (formerly a rebuttal: its id is kept), on the record and
 * NAMED, with a DENIES answer for each of claims 1-8.
 */
export const RESPONSE = {
  id: seedId("rebuttal:embassy-denial"),
  stance: "DENIES" as const,
  anonymity: "NAMED" as const,
  text: "The Chinese Embassy in the US rejects the accusations as a group: China is not a party to the Ukraine crisis, and its trade with Russia is normal trade the US should not interfere with.",
  quote: "not a producer of or party involved in the Ukraine crisis",
  onRecord: true,
  claimKeys: ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"],
};

const ANONYMITY_REASON = "Briefed reporters on condition of anonymity";
const INITIAL_RATIONALE = "Not independently verified: the officials' intelligence data has not been published.";

interface AttributionSeed {
  key: string;
  source: SourceKey;
  role: AttributionRole;
  anonymity: AnonymityLevel;
  anonymityReason?: string;
  quote?: string;
  via?: string;
}

/** The attribution chain of one claim: officials -> via Reuters (and AFP) -> via DW, with the intelligence they cite. */
function attributionsFor(claim: ClaimSeed): AttributionSeed[] {
  const chain: AttributionSeed[] = [
    { key: "dw", source: "dw", role: "CONDUIT", anonymity: "NAMED" },
    { key: "reuters", source: "reuters", role: "CONDUIT", anonymity: "NAMED", via: "dw" },
  ];
  if (!claim.reutersOnly) chain.push({ key: "afp", source: "afp", role: "CONDUIT", anonymity: "NAMED", via: "dw" });
  chain.push(
    { key: "officials", source: "officials", role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReason: ANONYMITY_REASON, quote: claim.officialsQuote, via: "reuters" },
    { key: "intel", source: "intel", role: "EVIDENCE", anonymity: "NAMED", via: "officials" },
  );
  for (const context of claim.context ?? []) chain.push({ key: context, source: context, role: "CONTEXT", anonymity: "NAMED" });
  return chain;
}

export const DRAFT = {
  id: seedId("article:draft-scholz-beijing"),
  slug: "scholz-heads-to-beijing-with-trade-and-ukraine-on-the-agenda",
  title: "Scholz heads to Beijing with trade and Ukraine on the agenda",
  summary: "A draft in progress: German Chancellor Olaf Scholz travels to China this weekend.",
  body: "German Chancellor Olaf Scholz travels to Beijing this weekend. He is expected to raise China's support for Russia with Xi Jinping.",
  language: "en",
  outlet: "DW",
};

export interface SeedOptions {
  /** One user per role with published passwords (LOCAL USE ONLY); default: unless NODE_ENV=production. */
  localUsers?: boolean;
}

/**
 * Loads the example story, PUBLISHED (it passes every publish gate: claimants, anonymity reasons,
 * verdicts recorded by a fact-checker), plus a DRAFT article and, for local use, one user per role.
 * Safe to run any number of times: stable ids, upserts, nothing duplicated.
 */
export async function seedExampleStory(prisma: PrismaClient, options: SeedOptions = {}): Promise<{ articleId: string; draftId: string }> {
  const localUsers = options.localUsers ?? process.env.NODE_ENV !== "production";
  await prisma.$transaction(async (tx) => {
    const users = localUsers ? await seedLocalUsers(tx) : {};
    await tx.article.upsert({
      where: { id: STORY.id },
      create: { ...STORY, status: "PUBLISHED", createdById: users.editor ?? null },
      update: {},
    });
    await tx.article.upsert({
      where: { id: DRAFT.id },
      create: { ...DRAFT, status: "DRAFT", createdById: users.reporter ?? null },
      update: {},
    });
    const article = await tx.article.findUniqueOrThrow({ where: { id: STORY.id } });
    for (const [key, source] of Object.entries(SOURCES)) {
      const id = seedId(`source:${key}`);
      await tx.source.upsert({ where: { id }, create: { id, ...source }, update: {} });
    }
    for (const [position, claim] of CLAIMS.entries()) {
      const claimId = seedId(`claim:${claim.key}`);
      const anchor = resolveAnchor(article.body, { quote: claim.quote });
      await tx.claim.upsert({
        where: { id: claimId },
        create: {
          id: claimId,
          articleId: article.id,
          statement: claim.statement,
          kind: claim.kind,
          position,
          ...anchor,
          quantityValue: claim.quantity?.value ?? null,
          quantityUnit: claim.quantity?.unit ?? null,
          quantitySubject: claim.quantity?.subject ?? null,
          quantityPeriod: claim.quantity?.period ?? null,
        },
        update: {},
      });
      if ((await tx.verdict.count({ where: { claimId } })) === 0) {
        await tx.verdict.create({ data: { claimId, rating: "UNVERIFIED", rationale: INITIAL_RATIONALE, recordedById: users.factChecker ?? null } });
      }
      for (const attribution of attributionsFor(claim)) {
        const id = seedId(`attribution:${claim.key}:${attribution.key}`);
        await tx.attribution.upsert({
          where: { id },
          create: {
            id,
            claimId,
            sourceId: seedId(`source:${attribution.source}`),
            role: attribution.role,
            anonymity: attribution.anonymity,
            anonymityReason: attribution.anonymityReason ?? null,
            quote: attribution.quote ?? null,
            viaId: attribution.via ? seedId(`attribution:${claim.key}:${attribution.via}`) : null,
          },
          update: {},
        });
      }
    }
    await tx.response.upsert({
      where: { id: RESPONSE.id },
      create: {
        id: RESPONSE.id,
        sourceId: seedId("source:embassy"),
        text: RESPONSE.text,
        quote: RESPONSE.quote,
        onRecord: RESPONSE.onRecord,
        anonymity: RESPONSE.anonymity,
      },
      update: {},
    });
    await tx.responseAnswer.createMany({
      data: RESPONSE.claimKeys.map((key, position) => ({ responseId: RESPONSE.id, claimId: seedId(`claim:${key}`), stance: RESPONSE.stance, position })),
      skipDuplicates: true,
    });
  }, { timeout: 30_000 });
  return { articleId: STORY.id, draftId: DRAFT.id };
}
