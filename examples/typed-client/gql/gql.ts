/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query PublishedArticles($first: Int!) {\n    articles(first: $first, filter: { status: [PUBLISHED] }) {\n      totalCount\n      edges {\n        node {\n          title\n          slug\n          outlet\n          url\n          status\n          updatedAt\n          claims(first: 20) {\n            position\n            statement\n            verdict { rating rationale createdAt }\n          }\n        }\n      }\n    }\n  }\n": typeof types.PublishedArticlesDocument,
    "\n  query ArticleBySlug($slug: String!) {\n    article(slug: $slug) {\n      title\n      slug\n      outlet\n      url\n      status\n      updatedAt\n      claims(first: 20) {\n        position\n        statement\n        verdict { rating rationale createdAt }\n      }\n    }\n  }\n": typeof types.ArticleBySlugDocument,
};
const documents: Documents = {
    "\n  query PublishedArticles($first: Int!) {\n    articles(first: $first, filter: { status: [PUBLISHED] }) {\n      totalCount\n      edges {\n        node {\n          title\n          slug\n          outlet\n          url\n          status\n          updatedAt\n          claims(first: 20) {\n            position\n            statement\n            verdict { rating rationale createdAt }\n          }\n        }\n      }\n    }\n  }\n": types.PublishedArticlesDocument,
    "\n  query ArticleBySlug($slug: String!) {\n    article(slug: $slug) {\n      title\n      slug\n      outlet\n      url\n      status\n      updatedAt\n      claims(first: 20) {\n        position\n        statement\n        verdict { rating rationale createdAt }\n      }\n    }\n  }\n": types.ArticleBySlugDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PublishedArticles($first: Int!) {\n    articles(first: $first, filter: { status: [PUBLISHED] }) {\n      totalCount\n      edges {\n        node {\n          title\n          slug\n          outlet\n          url\n          status\n          updatedAt\n          claims(first: 20) {\n            position\n            statement\n            verdict { rating rationale createdAt }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PublishedArticles($first: Int!) {\n    articles(first: $first, filter: { status: [PUBLISHED] }) {\n      totalCount\n      edges {\n        node {\n          title\n          slug\n          outlet\n          url\n          status\n          updatedAt\n          claims(first: 20) {\n            position\n            statement\n            verdict { rating rationale createdAt }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArticleBySlug($slug: String!) {\n    article(slug: $slug) {\n      title\n      slug\n      outlet\n      url\n      status\n      updatedAt\n      claims(first: 20) {\n        position\n        statement\n        verdict { rating rationale createdAt }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ArticleBySlug($slug: String!) {\n    article(slug: $slug) {\n      title\n      slug\n      outlet\n      url\n      status\n      updatedAt\n      claims(first: 20) {\n        position\n        statement\n        verdict { rating rationale createdAt }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;