import { CLAIMS, STORY, seedExampleStory, seedId } from "../prisma/seed-data/example-story";
import {
  ArticleHistoryDocument,
  ArticleTreeDocument,
  AttributeClaimDocument,
  AttributionByIdDocument,
  AuditLogDocument,
  CreateRebuttalDocument,
  CreateSourceDocument,
  DeleteSourceDocument,
  RebuttalByIdDocument,
  SourceNotesDocument,
  SourcesDocument,
  UpdateSourceDocument,
} from "./generated/operations";
import { gqlAs, gqlOk, gqlOkAs, onlyError, type Actor, type GqlResult } from "./support/client";
import { databaseSnapshot, testPrisma } from "./support/environment";

const SECRET = "Deputy NSA, reached by Signal";
/** Pieces of the note that must not show up either. */
const SECRET_PARTS = [SECRET, "Deputy NSA", "reached by Signal"];

const MAY_READ: Actor[] = ["EDITOR", "ADMIN"];
const MAY_NOT_READ: Actor[] = ["FACT_CHECKER", "REPORTER", null];

const claimId = (n: number) => seedId(`claim:${CLAIMS[n - 1]!.key}`);
const OFFICIALS = seedId("source:officials");

/** Every serialised response a role got must be free of the note. */
function expectNoSecret(responses: unknown[], who: Actor) {
  for (const response of responses) {
    const text = JSON.stringify(response);
    for (const part of SECRET_PARTS) {
      if (text.includes(part)) throw new Error(`${who ?? "anonymous"} got "${part}" in ${text}`);
    }
  }
}

/**
 * The published example story, with an anonymous source whose identity note is the secret: it is
 * the CLAIMANT of claim 1 and rebuts claim 2. The seeded "Senior US officials" get the same note
 * through an update, so that both a create and an update of the note are in the audit log.
 */
async function storyWithSecretSource() {
  await seedExampleStory(await testPrisma());
  const source = (
    await gqlOk(CreateSourceDocument, { input: { kind: "PERSON", name: "A senior administration official", identityNote: SECRET } })
  ).createSource;
  expect(source.identityNote).toBe(SECRET);
  const attribution = (
    await gqlOk(AttributeClaimDocument, {
      input: { claimId: claimId(1), sourceId: source.id, role: "CONTEXT", anonymity: "ANONYMOUS", anonymityReason: "Not authorised to speak" },
    })
  ).attributeClaim;
  const rebuttal = (
    await gqlOk(CreateRebuttalDocument, { input: { sourceId: source.id, claimIds: [claimId(2)], stance: "CONTEXTUALIZES", text: "Imagery sharing is limited." } })
  ).createRebuttal;
  const officials = (await gqlOk(UpdateSourceDocument, { input: { id: OFFICIALS, expectedVersion: 1, identityNote: SECRET } })).updateSource;
  expect(officials.identityNote).toBe(SECRET);
  // The note really is stored: the tests below are not vacuous.
  const prisma = await testPrisma();
  expect((await prisma.source.findMany({ where: { identityNote: SECRET }, select: { id: true } })).map((s) => s.id).sort()).toEqual([source.id, OFFICIALS].sort());
  return { source, attribution, rebuttal };
}

/** Every read of the note's source that a role can make, as raw results (data and errors). */
async function everyRead(actor: Actor, ids: { source: { id: string }; attribution: { id: string }; rebuttal: { id: string } }) {
  return {
    source: await gqlAs(actor, SourceNotesDocument, { id: ids.source.id }),
    officials: await gqlAs(actor, SourceNotesDocument, { id: OFFICIALS }),
    sources: await gqlAs(actor, SourcesDocument, { first: 100 }),
    sourcesByName: await gqlAs(actor, SourcesDocument, { first: 100, filter: { name: "administration official" } }),
    attribution: await gqlAs(actor, AttributionByIdDocument, { id: ids.attribution.id }),
    officialsAttribution: await gqlAs(actor, AttributionByIdDocument, { id: seedId(`attribution:${CLAIMS[0]!.key}:intel`) }),
    rebuttal: await gqlAs(actor, RebuttalByIdDocument, { id: ids.rebuttal.id }),
    article: await gqlAs(actor, ArticleTreeDocument, { id: STORY.id }),
    history: await gqlAs(actor, ArticleHistoryDocument, { id: STORY.id, first: 100 }),
    sourceLog: await gqlAs(actor, AuditLogDocument, { first: 100, entityId: ids.source.id }),
    officialsLog: await gqlAs(actor, AuditLogDocument, { first: 100, entityId: OFFICIALS }),
    fullLog: await gqlAs(actor, AuditLogDocument, { first: 100 }),
  };
}

/** Every identityNote value in a response, wherever it is nested. */
function identityNotes(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((item) => identityNotes(item, found));
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "identityNote") found.push(inner);
      else identityNotes(inner, found);
    }
  }
  return found;
}

/** The identityNote changes of an audit log response. */
function noteChanges(result: GqlResult<{ auditLog: { edges: Array<{ node: { action: string; changes: Array<{ field: string; before: unknown; after: unknown }> } }> } }>) {
  return result.data!.auditLog.edges.flatMap((e) => e.node.changes.filter((c) => c.field === "identityNote").map((c) => [e.node.action, c.before, c.after]));
}

describe("a source's identity note", () => {
  it("is readable by EDITOR and ADMIN everywhere the source appears", async () => {
    const ids = await storyWithSecretSource();
    for (const actor of MAY_READ) {
      const reads = await everyRead(actor, ids);
      for (const [name, result] of Object.entries(reads)) expect([name, result.errors]).toEqual([name, undefined]);
      expect(reads.source.data!.source).toMatchObject({ identityNote: SECRET, attributions: [{ source: { identityNote: SECRET } }], rebuttals: [{ source: { identityNote: SECRET } }] });
      expect(reads.officials.data!.source!.identityNote).toBe(SECRET);
      expect(reads.attribution.data!.attribution!.source.identityNote).toBe(SECRET);
      expect(reads.officialsAttribution.data!.attribution!.via!.source.identityNote).toBe(SECRET);
      expect(reads.rebuttal.data!.rebuttal!.source.identityNote).toBe(SECRET);
      expect(reads.sourcesByName.data!.sources.edges.map((e) => e.node.identityNote)).toEqual([SECRET]);
      expect(identityNotes(reads.article.data)).toContain(SECRET);
      // The audit log shows the real value to them: created with it, and set by an update.
      expect(noteChanges(reads.sourceLog)).toEqual([["CREATE", null, SECRET]]);
      expect(noteChanges(reads.officialsLog)).toEqual([["UPDATE", null, SECRET]]);
    }
  });

  it.each(MAY_NOT_READ.map((actor) => [actor ?? "an anonymous reader", actor] as const))(
    "is null for %s from source, sources, Attribution.source and Rebuttal.source, and its text is in no response",
    async (_name, actor) => {
      const ids = await storyWithSecretSource();
      const reads = await everyRead(actor, ids);
      expectNoSecret(Object.values(reads), actor);

      // The source itself is visible (anonymous readers see it through the published story); its note is not.
      expect(reads.source.data!.source).toMatchObject({ id: ids.source.id, name: "A senior administration official", identityNote: null });
      expect(reads.source.data!.source!.attributions.map((a) => a.source.identityNote)).toEqual([null]);
      expect(reads.source.data!.source!.rebuttals.map((r) => r.source.identityNote)).toEqual([null]);
      expect(reads.officials.data!.source).toMatchObject({ id: OFFICIALS, identityNote: null });
      expect(reads.sources.data!.sources.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([ids.source.id, OFFICIALS]));
      expect(reads.attribution.data!.attribution!.source).toMatchObject({ id: ids.source.id, identityNote: null });
      expect(reads.officialsAttribution.data!.attribution!.via!.source).toMatchObject({ id: OFFICIALS, identityNote: null });
      expect(reads.rebuttal.data!.rebuttal!.source).toMatchObject({ id: ids.source.id, identityNote: null });
      const everyNote = [reads.source, reads.officials, reads.sources, reads.sourcesByName, reads.attribution, reads.officialsAttribution, reads.rebuttal, reads.article].flatMap((r) =>
        identityNotes(r.data),
      );
      expect(everyNote.length).toBeGreaterThan(20);
      expect(new Set(everyNote)).toEqual(new Set([null]));

      if (actor === null) {
        // Anonymous readers get no history at all.
        for (const log of [reads.history, reads.sourceLog, reads.officialsLog, reads.fullLog]) expect(onlyError(log).extensions?.code).toBe("UNAUTHENTICATED");
      } else {
        // Staff see that the note was set, never what it says.
        expect(noteChanges(reads.sourceLog)).toEqual([["CREATE", null, "[redacted]"]]);
        expect(noteChanges(reads.officialsLog)).toEqual([["UPDATE", null, "[redacted]"]]);
        expect(reads.fullLog.data!.auditLog.totalCount).toBeGreaterThanOrEqual(4);
        expect(reads.history.errors).toBeUndefined();
      }
    },
  );

  it("cannot be set, changed or cleared by a FACT_CHECKER or REPORTER: FORBIDDEN, without echoing the note, nothing changed", async () => {
    const { source } = await storyWithSecretSource();
    const before = await databaseSnapshot();
    const attempts: Array<[Actor, GqlResult<unknown>]> = [
      ["FACT_CHECKER", await gqlAs("FACT_CHECKER", CreateSourceDocument, { input: { kind: "PERSON", name: "Another official", identityNote: SECRET } })],
      ["REPORTER", await gqlAs("REPORTER", CreateSourceDocument, { input: { kind: "PERSON", name: "Another official", identityNote: SECRET } })],
      ["FACT_CHECKER", await gqlAs("FACT_CHECKER", UpdateSourceDocument, { input: { id: source.id, expectedVersion: 1, identityNote: "Someone else entirely" } })],
      ["FACT_CHECKER", await gqlAs("FACT_CHECKER", UpdateSourceDocument, { input: { id: source.id, expectedVersion: 1, identityNote: null } })],
      ["FACT_CHECKER", await gqlAs("FACT_CHECKER", UpdateSourceDocument, { input: { id: source.id, expectedVersion: 1, name: "Renamed", identityNote: SECRET } })],
      ["REPORTER", await gqlAs("REPORTER", UpdateSourceDocument, { input: { id: source.id, expectedVersion: 1, name: "Renamed" } })],
      ["FACT_CHECKER", await gqlAs("FACT_CHECKER", DeleteSourceDocument, { input: { id: source.id, expectedVersion: 1 } })],
    ];
    for (const [actor, result] of attempts) {
      const error = onlyError(result);
      expect(error.extensions?.code).toBe("FORBIDDEN");
      expect(result.data).toBeNull();
      expectNoSecret([result], actor);
    }
    expect(onlyError(attempts[0]![1]).message).toBe("Only an EDITOR or ADMIN may record a source's identity note");
    const anonymous = await gqlAs(null, CreateSourceDocument, { input: { kind: "PERSON", name: "X", identityNote: SECRET } });
    expect(onlyError(anonymous).extensions?.code).toBe("UNAUTHENTICATED");
    expectNoSecret([anonymous], null);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("too long: BAD_USER_INPUT naming the field, never echoing the note, for every role", async () => {
    const { source } = await storyWithSecretSource();
    const tooLong = `${SECRET}. ${"More about how to reach them. ".repeat(200)}`;
    expect(tooLong.length).toBeGreaterThan(5000);
    const before = await databaseSnapshot();
    for (const actor of ["EDITOR", "ADMIN", "FACT_CHECKER", "REPORTER"] as const) {
      for (const result of [
        await gqlAs(actor, CreateSourceDocument, { input: { kind: "PERSON", name: "Another official", identityNote: tooLong } }),
        await gqlAs(actor, UpdateSourceDocument, { input: { id: source.id, expectedVersion: 1, identityNote: tooLong } }),
      ]) {
        const error = onlyError(result);
        expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.identityNote" });
        expect(error.message).toBe("Invalid input. input.identityNote: must be at most 5000 characters");
        expectNoSecret([result], actor);
      }
    }
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("does not leak when a FACT_CHECKER edits the source's other fields, attributes it or hits a conflict", async () => {
    const { source } = await storyWithSecretSource();
    const renamed = await gqlAs("FACT_CHECKER", UpdateSourceDocument, { input: { id: source.id, expectedVersion: 1, name: "An administration official" } });
    expect(renamed.data?.updateSource).toMatchObject({ name: "An administration official", identityNote: null, version: 2 });
    const stale = await gqlAs("FACT_CHECKER", UpdateSourceDocument, { input: { id: source.id, expectedVersion: 1, name: "Stale" } });
    expect(onlyError(stale).extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });
    const attributed = await gqlAs("FACT_CHECKER", AttributeClaimDocument, {
      input: { claimId: claimId(3), sourceId: source.id, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReason: "Not authorised to speak" },
    });
    expect(attributed.data?.attributeClaim.source).toMatchObject({ id: source.id, identityNote: null });
    const rebutted = await gqlAs("FACT_CHECKER", CreateRebuttalDocument, { input: { sourceId: source.id, claimIds: [claimId(4)], stance: "DISPUTES", text: "Not so." } });
    expect(rebutted.data?.createRebuttal.source).toMatchObject({ id: source.id, identityNote: null });
    expectNoSecret([renamed, stale, attributed, rebutted], "FACT_CHECKER");
    // The rename is audited without touching the note; the note is still there for editors.
    const log = await gqlOkAs("FACT_CHECKER", AuditLogDocument, { first: 100, entityId: source.id });
    expect(log.auditLog.edges[0]!.node.changes.map((c) => c.field)).toEqual(["name", "version"]);
    expect((await gqlOk(SourceNotesDocument, { id: source.id })).source!.identityNote).toBe(SECRET);
  });

  it("in the audit log: '[redacted]' for FACT_CHECKER and REPORTER, the real value for EDITOR and ADMIN, through change, clearing and deletion", async () => {
    const { source } = await storyWithSecretSource();
    const spare = (await gqlOk(CreateSourceDocument, { input: { kind: "PERSON", name: "Spare source", identityNote: SECRET } })).createSource;
    await gqlOk(UpdateSourceDocument, { input: { id: source.id, expectedVersion: 1, identityNote: "Reached by phone" } });
    await gqlOkAs("ADMIN", UpdateSourceDocument, { input: { id: source.id, expectedVersion: 2, identityNote: null } });
    await gqlOk(DeleteSourceDocument, { input: { id: spare.id, expectedVersion: 1 } });

    for (const actor of MAY_READ) {
      expect(noteChanges(await gqlAs(actor, AuditLogDocument, { first: 100, entityId: source.id }))).toEqual([
        ["UPDATE", "Reached by phone", null],
        ["UPDATE", SECRET, "Reached by phone"],
        ["CREATE", null, SECRET],
      ]);
      expect(noteChanges(await gqlAs(actor, AuditLogDocument, { first: 100, entityId: spare.id }))).toEqual([
        ["DELETE", SECRET, null],
        ["CREATE", null, SECRET],
      ]);
    }
    for (const actor of ["FACT_CHECKER", "REPORTER"] as const) {
      const sourceLog = await gqlAs(actor, AuditLogDocument, { first: 100, entityId: source.id });
      const spareLog = await gqlAs(actor, AuditLogDocument, { first: 100, entityId: spare.id });
      const fullLog = await gqlAs(actor, AuditLogDocument, { first: 100 });
      expectNoSecret([sourceLog, spareLog, fullLog], actor);
      expect(JSON.stringify([sourceLog, spareLog, fullLog])).not.toContain("Reached by phone");
      expect(noteChanges(sourceLog)).toEqual([
        ["UPDATE", "[redacted]", null],
        ["UPDATE", "[redacted]", "[redacted]"],
        ["CREATE", null, "[redacted]"],
      ]);
      expect(noteChanges(spareLog)).toEqual([
        ["DELETE", "[redacted]", null],
        ["CREATE", null, "[redacted]"],
      ]);
      // Only the note is redacted: the other fields of the same entries read as they are.
      const created = spareLog.data!.auditLog.edges[1]!.node;
      expect(created.changes.find((c) => c.field === "name")).toEqual({ field: "name", before: null, after: "Spare source" });
    }
  });
});
