/**
 * Headers of the benchmark's mutation requests (mutationMix): every one is built with
 * editorHeaders(), in this one place. Reads are sent anonymously (what a frontend's readers do).
 *
 * Mutations require an EDITOR bearer token (`Authorization: Bearer <token>`): this issues a named
 * API token for an EDITOR of the dataset (generate.ts creates editor-1@bench.claimdesk.local) with
 * claimdesk's own token code, so the token is exactly what `issueApiToken` would hand out.
 */
import { createPrismaClient } from "../src/db/prisma";
import { issueToken } from "../src/modules/user/user.tokens";

export interface EditorAuthContext {
  /** The benchmark database (where the EDITOR user lives and its API token is stored). */
  databaseUrl: string;
}

export const BENCH_EDITOR_EMAIL = "editor-1@bench.claimdesk.local";

export async function editorHeaders(context: EditorAuthContext): Promise<Record<string, string>> {
  const prisma = createPrismaClient(context.databaseUrl, { poolSize: 1 });
  try {
    const editor =
      (await prisma.user.findUnique({ where: { email: BENCH_EDITOR_EMAIL } })) ??
      (await prisma.user.findFirst({ where: { role: "EDITOR", active: true }, orderBy: { createdAt: "asc" } }));
    if (!editor) throw new Error(`no EDITOR user in the bench database (expected ${BENCH_EDITOR_EMAIL}): regenerate the dataset`);
    const { token } = await issueToken(prisma, editor.id, "API", { name: `benchmark ${new Date().toISOString()}` });
    return { authorization: `Bearer ${token}` };
  } finally {
    await prisma.$disconnect();
  }
}
