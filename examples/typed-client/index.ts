// A typed GraphQL client without React or a GraphQL client library: the codegen client preset's
// `graphql()` gives each operation its result and variables types (gql/, from schema.graphql), and
// plain `fetch` sends it.
//
//   npx tsx examples/typed-client/index.ts http://localhost:4000/graphql [article-slug]
//
// Without a slug it reads the newest published articles; with one, that article. It reads as an
// anonymous reader: published articles only, with their claims and each claim's current verdict.
import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { graphql } from "./gql";

const PublishedArticles = graphql(`
  query PublishedArticles($first: Int!) {
    articles(first: $first, filter: { status: [PUBLISHED] }) {
      totalCount
      edges {
        node {
          title
          slug
          outlet
          url
          status
          updatedAt
          claims(first: 20) {
            position
            statement
            verdict { rating rationale createdAt }
          }
        }
      }
    }
  }
`);

const ArticleBySlug = graphql(`
  query ArticleBySlug($slug: String!) {
    article(slug: $slug) {
      title
      slug
      outlet
      url
      status
      updatedAt
      claims(first: 20) {
        position
        statement
        verdict { rating rationale createdAt }
      }
    }
  }
`);

/** One GraphQL request: the answer's `data`, typed by the document; GraphQL errors thrown with their codes. */
async function request<Result, Variables>(endpoint: string, document: TypedDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length) throw new Error(body.errors.map((error) => `${error.extensions?.code ?? "ERROR"}: ${error.message}`).join("\n"));
  if (!body.data) throw new Error(`HTTP ${response.status} without data`);
  return body.data;
}

/** An article as both queries return it (the same selection). */
type Article = NonNullable<Awaited<ReturnType<typeof readArticle>>>;

async function readArticle(endpoint: string, slug: string) {
  return (await request(endpoint, ArticleBySlug, { slug })).article;
}

function show(article: Article): void {
  console.log(`${article.title} (${article.outlet ?? "no outlet"}, ${article.status}, updated ${article.updatedAt})`);
  if (article.url) console.log(`  ${article.url}`);
  for (const claim of article.claims) {
    // DateTime is typed `string` (codegen.ts maps the scalar): assignable to a string without a cast.
    const checkedAt: string = claim.verdict.createdAt;
    console.log(`  ${claim.position}. ${claim.statement}`);
    console.log(`     ${claim.verdict.rating} since ${checkedAt.slice(0, 10)}${claim.verdict.rationale ? `: ${claim.verdict.rationale}` : ""}`);
  }
}

async function main(): Promise<void> {
  const [endpoint, slug] = process.argv.slice(2);
  if (!endpoint) throw new Error("usage: npx tsx examples/typed-client/index.ts <graphql-endpoint> [article-slug]");
  if (slug) {
    const article = await readArticle(endpoint, slug);
    if (!article) throw new Error(`No published article "${slug}"`);
    show(article);
    return;
  }
  const { articles } = await request(endpoint, PublishedArticles, { first: 3 });
  console.log(`${articles.totalCount} published article(s); the newest ${articles.edges.length}:\n`);
  for (const { node } of articles.edges) show(node);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
