import {
  getNamedType,
  isCompositeType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { DEFAULT_PAGE_SIZE, listCap, MAX_PAGE_SIZE } from "../shared/pagination";

/** Scalars are free but for texts far larger than the others: the article bodies (200,000 characters). */
const SCALAR_COSTS: Record<string, number> = { "Article.body": 100, "ArticleRevision.body": 100 };

/**
 * The cost of an operation, known before it runs: an upper bound on the number of objects its
 * answer can hold. Every object field costs 1 per time it is resolved; scalars are free (an object
 * carries a bounded number of them), except article bodies (SCALAR_COSTS). A field with a `first` argument (a connection or a nested
 * list) multiplies the cost of its whole selection by `first`: its value, else its SDL default
 * (nested lists), else the connection page default; never more than the cap the resolver applies.
 * Abstract selections (`... on Article`, unions) are summed, introspection is free. Fragment costs
 * are computed once each, so the walk is linear in the size of the document.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variableDefaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const fragmentCosts = new Map<string, number>();

  function intValue(node: ValueNode | undefined): number | undefined {
    if (!node) return undefined;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      if (name in variables) {
        const value = variables[name];
        return typeof value === "number" ? value : value == null ? undefined : Number.NaN;
      }
      return intValue(variableDefaults.get(name));
    }
    if (node.kind === Kind.NULL) return undefined;
    return Number.NaN;
  }

  function multiplier(argument: GraphQLArgument, node: FieldNode): number {
    const connection = argument.defaultValue === undefined;
    const fallback = connection ? DEFAULT_PAGE_SIZE : Number(argument.defaultValue);
    const cap = connection ? MAX_PAGE_SIZE : listCap(fallback);
    // A connection's page is `first` or `last` (backward pages), whichever is given.
    const given = intValue(node.arguments?.find((arg) => arg.name.value === "first")?.value) ?? intValue(node.arguments?.find((arg) => arg.name.value === "last")?.value);
    const size = given ?? fallback;
    // Out of range is refused by the resolver; here it just costs the cap.
    return Number.isInteger(size) && size >= 0 && size <= cap ? size : cap;
  }

  /** `nodes(ids:)`: one item per id of a literal list, else the most it takes (100). */
  function nodesMultiplier(node: FieldNode): number {
    const ids = node.arguments?.find((arg) => arg.name.value === "ids")?.value;
    if (ids?.kind === Kind.LIST) return Math.min(ids.values.length, MAX_PAGE_SIZE);
    const value = ids?.kind === Kind.VARIABLE ? variables[ids.name.value] : undefined;
    return Array.isArray(value) ? Math.min(value.length, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
  }

  function selectionCost(selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith("__")) continue;
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[name];
        if (!field) continue;
        const type = getNamedType(field.type);
        if (isLeafType(type) || !isCompositeType(type) || !selection.selectionSet) {
          cost += SCALAR_COSTS[`${parent.name}.${name}`] ?? 0;
          continue;
        }
        const first = field.args.find((arg) => arg.name === "first");
        const times = first ? multiplier(first, selection) : name === "nodes" && parent.name === "Query" ? nodesMultiplier(selection) : 1;
        cost += times * (1 + selectionCost(selection.selectionSet, type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) cost += selectionCost(selection.selectionSet, type);
      } else {
        cost += fragmentCost(selection.name.value);
      }
    }
    return cost;
  }

  function fragmentCost(name: string): number {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    // Cycles are refused by graphql-js validation before this runs; 0 keeps a stray one finite.
    fragmentCosts.set(name, 0);
    const fragment = fragments.get(name);
    const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
    const cost = fragment && type && isCompositeType(type) ? selectionCost(fragment.selectionSet, type) : 0;
    fragmentCosts.set(name, cost);
    return cost;
  }

  const root = schema.getRootType(operation.operation);
  return root ? selectionCost(operation.selectionSet, root) : 0;
}
