/**
 * Headers of the benchmark's mutation requests (mutationMix). Every mutation request of the
 * benchmark is built with these, in this one place.
 */

export interface EditorAuthContext {
  /** The benchmark database (where an EDITOR user and its API token would be created). */
  databaseUrl: string;
}

/**
 * TODO(auth): mutations will soon require an EDITOR bearer token (`Authorization: Bearer <token>`).
 * Once claimdesk's auth lands, this must create an EDITOR API token for the benchmark (for an EDITOR
 * user of the dataset, e.g. editor-1@bench.claimdesk.local, through claimdesk's own token-issuing
 * code or mutation) and return `{ authorization: \`Bearer ${token}\` }`. Until then mutations are
 * open and no header is needed.
 */
export async function editorHeaders(_context?: EditorAuthContext): Promise<Record<string, string>> {
  return {};
}
