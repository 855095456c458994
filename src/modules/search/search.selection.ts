import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/**
 * The names of the fields selected directly under a selection set, fragments (inline and named)
 * included. Directives (@include/@skip) are not evaluated: a field under one counts as selected,
 * which only costs work, never a wrong answer.
 */
function selectedFields(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, into: FieldNode[] = []): FieldNode[] {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) into.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) selectedFields(selection.selectionSet, fragments, into);
    else selectedFields(fragments[selection.name.value]?.selectionSet, fragments, into);
  }
  return into;
}

/** Is `path` (field names, from the resolved field down) selected anywhere in the operation? */
export function isSelected(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">, path: string[]): boolean {
  let level: FieldNode[] = [...info.fieldNodes];
  for (const name of path) {
    level = level.flatMap((node) => selectedFields(node.selectionSet, info.fragments)).filter((field) => field.name.value === name);
    if (!level.length) return false;
  }
  return true;
}
