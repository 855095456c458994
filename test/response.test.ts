import { randomUUID } from "node:crypto";
import {
  ClaimRebuttalsDocument,
  CreateRebuttalDocument,
  DeleteRebuttalDocument,
  RebuttalByIdDocument,
  SourceByIdDocument,
  UpdateRebuttalDocument,
} from "./generated/operations";
import { gql, gqlOk } from "./support/client";
import { createArticleWithClaims, createRebuttal, createSource, failsWithoutChange } from "./support/factories";

const EMBASSY = "Chinese Embassy in the United States";
/** Claim 1., Claim 2., ... */
const numbered = (count: number) => Array.from({ length: count }, (_, i) => `Claim ${i + 1}.`);

describe("rebuttals", () => {
  it("creates a rebuttal answering several claims of one article, readable from both sides", async () => {
    const { claims } = await createArticleWithClaims(numbered(4));
    const embassy = await createSource(EMBASSY, "GOVERNMENT");
    const rebuttal = await createRebuttal({
      sourceId: embassy.id,
      // Given out of reading order and with a repeat: stored once each, read back in reading order.
      claimIds: [claims[2]!.id, claims[0]!.id, claims[1]!.id, claims[0]!.id],
      stance: "DENIES",
      text: "The embassy rejects the accusations.",
      quote: "not a producer of or party involved in the Ukraine crisis",
      madeAt: "2024-04-12T18:00:00.000Z",
    });
    expect(rebuttal).toMatchObject({
      stance: "DENIES",
      text: "The embassy rejects the accusations.",
      quote: "not a producer of or party involved in the Ukraine crisis",
      onRecord: true,
      version: 1,
      source: { id: embassy.id, name: embassy.name },
    });
    // DateTime values come back as Date objects from executeOperation (strings over HTTP).
    expect(new Date(rebuttal.madeAt!).toISOString()).toBe("2024-04-12T18:00:00.000Z");
    expect(rebuttal.claims.map((c) => c.id)).toEqual([claims[0]!.id, claims[1]!.id, claims[2]!.id]);

    expect((await gqlOk(RebuttalByIdDocument, { id: rebuttal.id })).rebuttal).toEqual(rebuttal);
    for (const claim of claims.slice(0, 3)) {
      expect((await gqlOk(ClaimRebuttalsDocument, { id: claim.id })).claim?.rebuttals).toEqual([{ id: rebuttal.id, stance: "DENIES", source: { id: embassy.id } }]);
    }
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[3]!.id })).claim?.rebuttals).toEqual([]);
    expect((await gqlOk(SourceByIdDocument, { id: embassy.id })).source?.rebuttals.map((r) => r.id)).toEqual([rebuttal.id]);
  });

  it("records an off-the-record rebuttal and lists a claim's rebuttals in the order they were made", async () => {
    const { claims } = await createArticleWithClaims(numbered(1));
    const embassy = await createSource(EMBASSY, "GOVERNMENT");
    const ministry = await createSource("Chinese Foreign Ministry", "GOVERNMENT");
    const first = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
    const second = await createRebuttal({ sourceId: ministry.id, claimIds: [claims[0]!.id], stance: "CONTEXTUALIZES", text: "Normal trade.", onRecord: false });
    expect(second).toMatchObject({ onRecord: false, quote: null, madeAt: null });
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[0]!.id })).claim?.rebuttals).toEqual([
      { id: first.id, stance: "DENIES", source: { id: embassy.id } },
      { id: second.id, stance: "CONTEXTUALIZES", source: { id: ministry.id } },
    ]);
  });

  it("answers null for an unknown or malformed rebuttal id", async () => {
    expect((await gqlOk(RebuttalByIdDocument, { id: randomUUID() })).rebuttal).toBeNull();
    expect((await gqlOk(RebuttalByIdDocument, { id: "r1" })).rebuttal).toBeNull();
  });

  it("updates fields and replaces the set of claims answered", async () => {
    const { claims } = await createArticleWithClaims(numbered(4));
    const embassy = await createSource(EMBASSY, "GOVERNMENT");
    const ministry = await createSource("Chinese Foreign Ministry", "GOVERNMENT");
    const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id, claims[1]!.id], stance: "DENIES", text: "No.", quote: "q" });
    const { updateRebuttal } = await gqlOk(UpdateRebuttalDocument, {
      input: { id: rebuttal.id, expectedVersion: 1, claimIds: [claims[3]!.id, claims[1]!.id], stance: "DISPUTES", text: "Disputed.", quote: null, onRecord: false, sourceId: ministry.id },
    });
    expect(updateRebuttal).toMatchObject({ stance: "DISPUTES", text: "Disputed.", quote: null, onRecord: false, version: 2, source: { id: ministry.id } });
    expect(updateRebuttal.claims.map((c) => c.id)).toEqual([claims[1]!.id, claims[3]!.id]);
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[0]!.id })).claim?.rebuttals).toEqual([]);
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[3]!.id })).claim?.rebuttals.map((r) => r.id)).toEqual([rebuttal.id]);

    // Without claimIds the set is kept.
    const kept = await gqlOk(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 2, text: "Still disputed." } });
    expect(kept.updateRebuttal).toMatchObject({ text: "Still disputed.", stance: "DISPUTES", onRecord: false, version: 3 });
    expect(kept.updateRebuttal.claims.map((c) => c.id)).toEqual([claims[1]!.id, claims[3]!.id]);
  });

  it("deletes a rebuttal, leaving its claims and source", async () => {
    const { claims } = await createArticleWithClaims(numbered(2));
    const embassy = await createSource(EMBASSY, "GOVERNMENT");
    const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: claims.map((c) => c.id), stance: "DENIES", text: "No." });
    expect((await gqlOk(DeleteRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1 } })).deleteRebuttal.id).toBe(rebuttal.id);
    expect((await gqlOk(RebuttalByIdDocument, { id: rebuttal.id })).rebuttal).toBeNull();
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[0]!.id })).claim).toEqual({ id: claims[0]!.id, rebuttals: [] });
    expect((await gqlOk(SourceByIdDocument, { id: embassy.id })).source?.rebuttals).toEqual([]);
  });

  describe("refuses, changing nothing", () => {
    it("claims of two different articles with BAD_USER_INPUT, on create and on update", async () => {
      const one = await createArticleWithClaims(numbered(1));
      const two = await createArticleWithClaims(numbered(1));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const create = await failsWithoutChange(() =>
        gql(CreateRebuttalDocument, { input: { sourceId: embassy.id, claimIds: [one.claims[0]!.id, two.claims[0]!.id], stance: "DENIES", text: "No." } }),
      );
      expect(create.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.claimIds" });
      expect(create.message).toContain("same article");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [one.claims[0]!.id], stance: "DENIES", text: "No." });
      const update = await failsWithoutChange(() =>
        gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, claimIds: [one.claims[0]!.id, two.claims[0]!.id] } }),
      );
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.claimIds" });
    });

    it("an empty claimIds with BAD_USER_INPUT, on create and on update", async () => {
      const { claims } = await createArticleWithClaims(numbered(1));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const create = await failsWithoutChange(() => gql(CreateRebuttalDocument, { input: { sourceId: embassy.id, claimIds: [], stance: "DENIES", text: "No." } }));
      expect(create.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.claimIds" });
      expect(create.message).toContain("at least one claim");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, claimIds: [] } }));
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.claimIds" });
    });

    it("an unknown claim with NOT_FOUND naming input.claimIds", async () => {
      const { claims } = await createArticleWithClaims(numbered(1));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const missing = randomUUID();
      const error = await failsWithoutChange(() => gql(CreateRebuttalDocument, { input: { sourceId: embassy.id, claimIds: [claims[0]!.id, missing], stance: "DENIES", text: "No." } }));
      expect(error.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.claimIds", id: missing });
      expect(error.message).toContain(missing);
    });

    it("an unknown source with NOT_FOUND naming input.sourceId, on create and on update", async () => {
      const { claims } = await createArticleWithClaims(numbered(1));
      const sourceId = randomUUID();
      const create = await failsWithoutChange(() => gql(CreateRebuttalDocument, { input: { sourceId, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." } }));
      expect(create.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.sourceId", id: sourceId });
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, sourceId } }));
      expect(update.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.sourceId" });
    });

    it("an empty text with BAD_USER_INPUT naming input.text, on create and on update", async () => {
      const { claims } = await createArticleWithClaims(numbered(1));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const create = await failsWithoutChange(() => gql(CreateRebuttalDocument, { input: { sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "  " } }));
      expect(create.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.text" });
      expect(create.message).toContain("must not be empty");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, text: "" } }));
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.text" });
    });

    it("a stale version with CONFLICT on update and delete", async () => {
      const { claims } = await createArticleWithClaims(numbered(2));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
      await gqlOk(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, text: "Still no." } });
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, text: "Other", claimIds: [claims[1]!.id] } }));
      expect(update.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2, expectedVersion: 1 });
      const del = await failsWithoutChange(() => gql(DeleteRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1 } }));
      expect(del.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });
    });

    it("an unknown rebuttal with NOT_FOUND on update and delete", async () => {
      const id = randomUUID();
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id, expectedVersion: 1, text: "x" } }));
      expect(update.extensions).toMatchObject({ code: "NOT_FOUND", id });
      const del = await failsWithoutChange(() => gql(DeleteRebuttalDocument, { input: { id, expectedVersion: 1 } }));
      expect(del.extensions).toMatchObject({ code: "NOT_FOUND", id });
    });
  });
});
