/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Where an article is in the editorial workflow. */
export type ArticleStatus =
  /** Withdrawn from readers and from the workflow; restore it to work on it again. */
  | 'ARCHIVED'
  /** Being written or edited; only staff see it. */
  | 'DRAFT'
  /** Submitted and waiting for an editor to publish it or return it. */
  | 'IN_REVIEW'
  /** Public: anonymous readers see it and everything attached to it. */
  | 'PUBLISHED';

/**
 * The verdict scale: how far the evidence bears a claim out. Pick the value by the evidence you hold, and
 * say in the verdict's `rationale` what that evidence is. From best to worst supported: SUPPORTED,
 * MOSTLY_SUPPORTED, MISLEADING, DISPUTED, REFUTED; UNVERIFIED and UNPROVABLE say that no conclusion was
 * (or can be) reached.
 */
export type VerdictRating =
  /**
   * Credible, independent sources disagree and the evidence available does not settle it. Requires at
   * least two credible sources on opposing sides, named in the rationale. Not for a claim nobody can check
   * (UNPROVABLE) nor for one the evidence contradicts (REFUTED).
   */
  | 'DISPUTED'
  /**
   * Accurate in part, but presented so that it leaves a false impression (context left out, figures
   * picked selectively, a wrong comparison). Requires evidence for the accurate part and for the missing
   * context that changes the picture; the rationale gives both.
   */
  | 'MISLEADING'
  /**
   * True in substance, wrong or imprecise in a detail that does not change the conclusion (a rounded or
   * slightly off figure, a date, a title). Requires the same evidence as SUPPORTED for the substance; the
   * rationale names the detail that is off and what is right.
   */
  | 'MOSTLY_SUPPORTED'
  /**
   * The evidence contradicts the claim. Requires a primary source or authoritative record showing it is
   * false, cited in the rationale; a claimant's denial alone is not enough.
   */
  | 'REFUTED'
  /**
   * The evidence bears the claim out in full. Requires at least one primary source or authoritative
   * record (official data, a document, a recording, a first-hand witness on the record) confirming every
   * material part of it, and nothing credible contradicting it.
   */
  | 'SUPPORTED'
  /**
   * Cannot be checked with any evidence available or obtainable: a private conversation, a prediction,
   * classified or unpublished data. The rationale says what evidence would be needed. Not for a claim
   * that simply has not been checked yet (UNVERIFIED).
   */
  | 'UNPROVABLE'
  /**
   * Not checked yet, or checked without a conclusion so far. Every claim starts here (an automatic
   * verdict without `recordedBy`, which does not pass the VERDICT_REQUIRED publish gate). Recorded
   * deliberately (by a fact-checker, editor or admin) it does pass: "we looked and cannot say yet". No
   * evidence required; the rationale says what is being checked or awaited.
   */
  | 'UNVERIFIED';

export type PublishedArticlesQueryVariables = Exact<{
  first: number;
}>;


export type PublishedArticlesQuery = { articles: { totalCount: number, edges: Array<{ node: { title: string, slug: string, outlet: string | null, url: string | null, status: ArticleStatus, updatedAt: string, claims: Array<{ position: number, statement: string, verdict: { rating: VerdictRating, rationale: string | null, createdAt: string } }> } }> } };

export type ArticleBySlugQueryVariables = Exact<{
  slug: string;
}>;


export type ArticleBySlugQuery = { article: { title: string, slug: string, outlet: string | null, url: string | null, status: ArticleStatus, updatedAt: string, claims: Array<{ position: number, statement: string, verdict: { rating: VerdictRating, rationale: string | null, createdAt: string } }> } | null };


export const PublishedArticlesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PublishedArticles"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"articles"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"status"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"PUBLISHED"}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"outlet"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"claims"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"statement"}},{"kind":"Field","name":{"kind":"Name","value":"verdict"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rating"}},{"kind":"Field","name":{"kind":"Name","value":"rationale"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<PublishedArticlesQuery, PublishedArticlesQueryVariables>;
export const ArticleBySlugDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ArticleBySlug"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"slug"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"article"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"slug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"outlet"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"claims"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"statement"}},{"kind":"Field","name":{"kind":"Name","value":"verdict"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rating"}},{"kind":"Field","name":{"kind":"Name","value":"rationale"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ArticleBySlugQuery, ArticleBySlugQueryVariables>;