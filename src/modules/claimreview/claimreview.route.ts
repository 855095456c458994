import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { PrismaClient } from "../../db/prisma";
import { claimReviewsForArticleSlug } from "./claimreview.service";
import type { ClaimReviewSettings } from "./claimreview.settings";

/** How long clients and shared caches may keep an article's reviews (seconds). */
const CLAIMREVIEW_MAX_AGE_S = 300;
const SUFFIX = ".jsonld";
/** Slugs are at most 200 characters (article.slug): anything longer is no article. */
const MAX_SLUG = 200;

/**
 * `GET /claimreview/<article-slug>.jsonld`: the ClaimReviews of a PUBLISHED article, as a JSON array
 * of ClaimReview objects (each as Claim.claimReview gives it), `application/ld+json`. Anonymous,
 * cacheable (`cache-control: public`, an ETag, 304 on If-None-Match). 404 for an unknown or
 * unpublished article (and when ClaimReview is off). One statement per request.
 */
export function registerClaimReviewRoute(app: FastifyInstance, { prisma, settings }: { prisma: PrismaClient; settings: ClaimReviewSettings }): void {
  // A wildcard, not a `:slug` parameter: parameters are capped at 100 characters, slugs at 200.
  app.get<{ Params: { "*": string } }>("/claimreview/*", async (request, reply) => {
    const file = request.params["*"];
    const slug = file.endsWith(SUFFIX) ? file.slice(0, -SUFFIX.length) : "";
    const reviews = slug && slug.length <= MAX_SLUG && !slug.includes("/") ? await claimReviewsForArticleSlug(prisma, slug, settings) : null;
    if (!reviews) return reply.code(404).header("cache-control", "no-store").send({ error: "not found" });
    const body = JSON.stringify(reviews);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
    void reply.header("cache-control", `public, max-age=${CLAIMREVIEW_MAX_AGE_S}`).header("etag", etag);
    if (request.headers["if-none-match"] === etag) return reply.code(304).send();
    return reply.type("application/ld+json; charset=utf-8").send(body);
  });
}
