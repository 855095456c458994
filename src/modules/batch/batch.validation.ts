import type { BatchOperationInput } from "../../generated/graphql";
import { badInput } from "../../shared/errors";

const MAX_BATCH_OPERATIONS = 100;

export type OperationName = "upsertArticle" | "upsertSource" | "upsertClaim" | "attributeClaim" | "recordVerdict";
const OPERATIONS: readonly OperationName[] = ["upsertArticle", "upsertSource", "upsertClaim", "attributeClaim", "recordVerdict"];

/** The kind of item each operation's `ref` names, for the references of later operations. */
const REF_KIND: Record<OperationName, "article" | "source" | "claim" | "attribution" | "verdict"> = {
  upsertArticle: "article",
  upsertSource: "source",
  upsertClaim: "claim",
  attributeClaim: "attribution",
  recordVerdict: "verdict",
};

/** A BAD_USER_INPUT naming the operation (extensions.operationIndex) and the field within it. */
function badOperation(index: number, field: string, message: string) {
  const error = badInput(`input.operations.${index}.${field}`, message);
  (error.extensions as Record<string, unknown>).operationIndex = index;
  return error;
}

/**
 * Checks the shape of a batch before anything is read or written: 1 to 100 operations, exactly
 * one operation field each, refs unique, and every reference (`articleRef`, `claimRef`,
 * `sourceRef`) naming an EARLIER operation of the right kind, given instead of (not with) an id.
 * Returns each operation's name.
 */
export function checkBatch(operations: readonly BatchOperationInput[]): OperationName[] {
  if (operations.length === 0 || operations.length > MAX_BATCH_OPERATIONS) {
    throw badInput("input.operations", `must hold 1 to ${MAX_BATCH_OPERATIONS} operations (got ${operations.length})`);
  }
  const refs = new Map<string, { kind: string; index: number }>();
  return operations.map((operation, index) => {
    const given = OPERATIONS.filter((name) => operation[name] != null);
    if (given.length !== 1) throw badOperation(index, "", `must give exactly one of ${OPERATIONS.join(", ")} (got ${given.length})`);
    const name = given[0]!;
    const body = operation[name] as unknown as Record<string, unknown>;
    const reference = (idField: string, refField: string, kind: string) => {
      const id = body[idField];
      const ref = body[refField] as string | null | undefined;
      if ((id == null) === (ref == null)) throw badOperation(index, `${name}.${idField}`, `give exactly one of ${idField} and ${refField}`);
      if (ref == null) return;
      const target = refs.get(ref);
      if (!target) throw badOperation(index, `${name}.${refField}`, `"${ref}" is not the ref of an earlier operation`);
      if (target.kind !== kind) throw badOperation(index, `${name}.${refField}`, `"${ref}" is the ref of a ${target.kind} (operation ${target.index}), not of a ${kind}`);
    };
    if (name === "upsertClaim") reference("articleId", "articleRef", "article");
    if (name === "attributeClaim") {
      reference("claimId", "claimRef", "claim");
      reference("sourceId", "sourceRef", "source");
    }
    if (name === "recordVerdict") reference("claimId", "claimRef", "claim");
    if (operation.ref != null) {
      if (operation.ref.length < 1 || operation.ref.length > 100) throw badOperation(index, "ref", "must be 1 to 100 characters");
      const earlier = refs.get(operation.ref);
      if (earlier) throw badOperation(index, "ref", `"${operation.ref}" is already the ref of operation ${earlier.index}`);
      refs.set(operation.ref, { kind: REF_KIND[name], index });
    }
    return name;
  });
}
