import type { SourceKind, VerdictRating } from "../../generated/prisma/enums";
import type { ClaimReviewSettings } from "./claimreview.settings";

/**
 * schema.org ClaimReview (JSON-LD) from the facts of one reviewed claim, with Google's required and
 * recommended properties (docs/claimreview.md). Pure: the facts come from ONE statement per batch
 * (./claimreview.service.ts), the publisher from the configuration.
 */

/** What one statement reads for one claim whose latest verdict is not UNVERIFIED, in a PUBLISHED article. */
export interface ClaimReviewFacts {
  articleId: string;
  articleSlug: string;
  articleTitle: string;
  articleUrl: string | null;
  /** The article's publication date as a PartialDate text ("2013", "2013-01", "2013-01-31", an instant), or null. */
  articleDate: string | null;
  claimId: string;
  statement: string;
  verdictId: string;
  rating: VerdictRating;
  reviewUrl: string | null;
  reviewedAt: Date;
  /** The outside work where the claim was first made (claim.origin_work_id), if any. */
  workId: string | null;
  workTitle: string | null;
  workUrl: string | null;
  workDate: string | null;
  /** The claimant attribution chosen as the claim's author (see the service), if any. */
  attributionId: string | null;
  sourceId: string | null;
  sourceKind: SourceKind | null;
  /** True only for a NAMED attribution of a named source: then, and only then, name and url are read. */
  claimantNamed: boolean | null;
  claimantName: string | null;
  claimantUrl: string | null;
}

/** The numeric scale: 1 (worst) to 5 (best); UNPROVABLE has no place on it (text only). */
const WORST_RATING = 1;
const BEST_RATING = 5;

/** VerdictRating -> ClaimReview rating (documented in docs/claimreview.md). UNVERIFIED gives no review. */
const RATING_SCALE: Record<Exclude<VerdictRating, "UNVERIFIED">, { value: number | null; label: string }> = {
  SUPPORTED: { value: 5, label: "Supported" },
  MOSTLY_SUPPORTED: { value: 4, label: "Mostly supported" },
  DISPUTED: { value: 3, label: "Disputed" },
  MISLEADING: { value: 2, label: "Misleading" },
  REFUTED: { value: 1, label: "Refuted" },
  UNPROVABLE: { value: null, label: "Unprovable" },
};

const PERSON_KINDS = new Set<SourceKind>(["PERSON", "UNNAMED_PERSON"]);
/** Neither a Person nor an Organization: a claim made by a document has no `author`. */
const NO_AUTHOR_KINDS = new Set<SourceKind>(["DOCUMENT", "DATASET"]);

/** What an unnamed (ANONYMOUS or PARTIAL, or an UNNAMED_* source) claimant is called: never its name. */
function unnamedLabel(kind: SourceKind): string {
  if (PERSON_KINDS.has(kind)) return "Unnamed source";
  if (kind === "UNNAMED_GROUP") return "Unnamed sources";
  if (kind === "GOVERNMENT") return "Unnamed officials";
  return "Unnamed organization";
}

type JsonLd = Record<string, unknown>;

function claimAuthor(facts: ClaimReviewFacts): JsonLd | undefined {
  const kind = facts.sourceKind;
  if (!kind || NO_AUTHOR_KINDS.has(kind)) return undefined;
  const type = PERSON_KINDS.has(kind) ? "Person" : "Organization";
  if (facts.claimantNamed !== true || !facts.claimantName) return { "@type": type, name: unnamedLabel(kind) };
  return { "@type": type, name: facts.claimantName, ...(facts.claimantUrl ? { sameAs: facts.claimantUrl } : {}) };
}

function creativeWork(name: string | null, url: string | null, datePublished: string | null): JsonLd {
  return { "@type": "CreativeWork", ...(url ? { url } : {}), ...(name ? { name } : {}), ...(datePublished ? { datePublished } : {}) };
}

/** The fact-check URL: the verdict's reviewUrl, else the configured template filled in, else null. */
function reviewUrlOf(facts: Pick<ClaimReviewFacts, "reviewUrl" | "articleSlug" | "articleId" | "claimId">, template: string | null): string | null {
  if (facts.reviewUrl) return facts.reviewUrl;
  if (!template) return null;
  return template
    .replaceAll("{articleSlug}", encodeURIComponent(facts.articleSlug))
    .replaceAll("{articleId}", facts.articleId)
    .replaceAll("{claimId}", facts.claimId);
}

/**
 * The ClaimReview of one claim, or null: ClaimReview is off (no publisher configured), the verdict
 * is UNVERIFIED, or there is no fact-check URL (no reviewUrl and no template).
 */
export function buildClaimReview(facts: ClaimReviewFacts, settings: ClaimReviewSettings): JsonLd | null {
  const { publisher } = settings;
  if (!publisher || facts.rating === "UNVERIFIED") return null;
  const rating = RATING_SCALE[facts.rating];
  const url = reviewUrlOf(facts, settings.urlTemplate);
  if (!url) return null;
  const author = claimAuthor(facts);
  const claimDate = facts.workDate ?? facts.articleDate;
  return {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    url,
    claimReviewed: facts.statement,
    datePublished: facts.reviewedAt.toISOString(),
    author: { "@type": "Organization", name: publisher.name, ...(publisher.url ? { url: publisher.url } : {}) },
    reviewRating: {
      "@type": "Rating",
      ...(rating.value !== null ? { ratingValue: rating.value, bestRating: BEST_RATING, worstRating: WORST_RATING } : {}),
      alternateName: rating.label,
      name: rating.label,
    },
    itemReviewed: {
      "@type": "Claim",
      ...(author ? { author } : {}),
      ...(claimDate ? { datePublished: claimDate } : {}),
      appearance: creativeWork(facts.articleTitle, facts.articleUrl, facts.articleDate),
      ...(facts.workId ? { firstAppearance: creativeWork(facts.workTitle, facts.workUrl, facts.workDate) } : {}),
    },
  };
}
