import { createHash } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { FastifyInstance } from "fastify";
import { print } from "graphql";
import type { Role } from "../src/shared/viewer";
import { createServer } from "../src/server";
import {
  ApiTokensDocument,
  AuditLogDocument,
  CreateUserDocument,
  IssueApiTokenDocument,
  MeDocument,
  RevokeApiTokenDocument,
  SignInDocument,
  SignOutDocument,
  UpdateUserDocument,
  UsersDocument,
} from "./generated/operations";
import { gqlAs, gqlOkAs, onlyError, userFor } from "./support/client";
import { databaseSnapshot, testPrisma } from "./support/environment";
import { testConfig } from "./support/config";

/*
 * Sign-in, bearer tokens and user management. The HTTP tests start the real server on an
 * ephemeral port and use fetch (see test/server.test.ts for why `app.inject` is not used).
 */

const TOKEN_FORMAT = /^cdk_[A-Za-z0-9_-]{43}$/;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface HttpAnswer<TData> {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: { data?: TData | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

/** The real HTTP server; `post` sends an operation with an optional Authorization header. */
async function startHttp() {
  ({ app } = await createServer({ prisma: await testPrisma(), config: testConfig() }));
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return async function post<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    options: { variables?: TVariables; authorization?: string } = {},
  ): Promise<HttpAnswer<TData>> {
    const response = await fetch(`${address}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(options.authorization ? { authorization: options.authorization } : {}) },
      body: JSON.stringify({ query: print(document), variables: options.variables ?? {} }),
    });
    return { status: response.status, body: (await response.json()) as HttpAnswer<TData>["body"] };
  };
}

const bearer = (token: string) => `Bearer ${token}`;

/** Signs `user` in over HTTP and returns the session token. */
async function sessionToken(post: Awaited<ReturnType<typeof startHttp>>, user: { email: string; password: string }) {
  return (await post(SignInDocument, { variables: { input: { email: user.email, password: user.password } } })).body.data!.signIn.token;
}

/** The HTTP server, a user with a password and two sessions of theirs. */
async function twoSessions() {
  const post = await startHttp();
  const user = await createUserWithPassword();
  return { post, user, sessions: [await sessionToken(post, user), await sessionToken(post, user)] as const };
}

/** A user with a password, created by the test ADMIN through the API. */
async function createUserWithPassword(overrides: { email?: string; role?: Role; password?: string } = {}) {
  const password = overrides.password ?? "correct horse battery staple";
  const email = overrides.email ?? "ada@newsroom.example";
  const { createUser } = await gqlOkAs("ADMIN", CreateUserDocument, {
    input: { email, name: "Ada Lovelace", role: overrides.role ?? "EDITOR", password },
  });
  return { ...createUser, password };
}

function expectUnauthenticated401(answer: HttpAnswer<unknown>) {
  expect(answer.status).toBe(401);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.errors![0]!.extensions?.code).toBe("UNAUTHENTICATED");
}

describe("signIn", () => {
  it("returns a cdk_ token (valid 7 days) and the user for the right password", async () => {
    const user = await createUserWithPassword();
    const before = Date.now();
    const { signIn } = await gqlOkAs(null, SignInDocument, { input: { email: "  Ada@Newsroom.Example ", password: user.password } });
    expect(signIn.token).toMatch(TOKEN_FORMAT);
    expect(signIn.user).toEqual({ id: user.id, email: "ada@newsroom.example", name: "Ada Lovelace", role: "EDITOR", active: true, createdAt: user.createdAt });
    const lifetime = Date.parse(signIn.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);
    expect(lifetime).toBeLessThanOrEqual(7 * 24 * 3600 * 1000 + 60_000);

    // The session is stored as the SHA-256 of the token, never the token itself.
    const rows = await (await testPrisma()).authToken.findMany({ where: { userId: user.id } });
    expect(rows).toEqual([expect.objectContaining({ kind: "SESSION", tokenHash: sha256(signIn.token), revokedAt: null })]);
    expect(JSON.stringify(await databaseSnapshot())).not.toContain(signIn.token);
  });

  it("stores the password as an scrypt$ hash, never the password itself", async () => {
    const user = await createUserWithPassword({ password: "a very memorable passphrase" });
    const row = await (await testPrisma()).user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const snapshot = JSON.stringify(await databaseSnapshot());
    expect(snapshot).not.toContain("a very memorable passphrase");
    // Two users with the same password get different hashes (salted).
    const other = await createUserWithPassword({ email: "bob@newsroom.example", password: "a very memorable passphrase" });
    const otherRow = await (await testPrisma()).user.findUniqueOrThrow({ where: { id: other.id } });
    expect(otherRow.passwordHash).not.toBe(row.passwordHash);
  });

  it("gives the same UNAUTHENTICATED answer for a wrong password, an unknown email, a user without password and a deactivated user", async () => {
    const user = await createUserWithPassword();
    const before = await databaseSnapshot();
    const wrongPassword = onlyError(await gqlAs(null, SignInDocument, { input: { email: user.email, password: "not the password" } }));
    const unknownEmail = onlyError(await gqlAs(null, SignInDocument, { input: { email: "nobody@newsroom.example", password: user.password } }));
    // The per-role test users have no password at all.
    const noPassword = onlyError(await gqlAs(null, SignInDocument, { input: { email: (await userFor("REPORTER")).email, password: "" } }));
    expect(await databaseSnapshot()).toEqual(before);

    await gqlOkAs("ADMIN", UpdateUserDocument, { input: { id: user.id, active: false } });
    const deactivated = onlyError(await gqlAs(null, SignInDocument, { input: { email: user.email, password: user.password } }));

    expect(wrongPassword.extensions?.code).toBe("UNAUTHENTICATED");
    for (const error of [unknownEmail, noPassword, deactivated]) expect(error).toEqual(wrongPassword);
    expect(wrongPassword.message).not.toContain(user.email);
    expect(await (await testPrisma()).authToken.count()).toBe(0);
  });
});

describe("me", () => {
  it.each<Role>(["ADMIN", "EDITOR", "FACT_CHECKER", "REPORTER"])("is the signed-in %s", async (role) => {
    const viewer = await userFor(role);
    const { me } = await gqlOkAs(role, MeDocument);
    expect(me).toMatchObject({ id: viewer.id, email: viewer.email, role, active: true });
  });

  it("is null for an anonymous reader, without an error", async () => {
    expect(await gqlAs(null, MeDocument)).toEqual({ data: { me: null } });
  });
});

describe("bearer tokens over HTTP", () => {
  it("Authorization: Bearer <token> makes the request that user's; no header is an anonymous reader", async () => {
    const post = await startHttp();
    const user = await createUserWithPassword({ role: "FACT_CHECKER" });
    const signedIn = await post(SignInDocument, { variables: { input: { email: user.email, password: user.password } } });
    expect(signedIn.status).toBe(200);
    const token = signedIn.body.data!.signIn.token;
    expect(token).toMatch(TOKEN_FORMAT);

    const me = await post(MeDocument, { authorization: bearer(token) });
    expect(me).toEqual({ status: 200, body: { data: { me: expect.objectContaining({ id: user.id, role: "FACT_CHECKER" }) } } });
    // The scheme is case-insensitive.
    expect((await post(MeDocument, { authorization: `bearer ${token}` })).body.data?.me?.id).toBe(user.id);
    expect(await post(MeDocument)).toEqual({ status: 200, body: { data: { me: null } } });
  });

  it.each([
    ["an unknown cdk_ token", `Bearer cdk_${"A".repeat(43)}`],
    ["a token without the prefix", "Bearer not-a-token"],
    ["a Bearer header without a token", "Bearer"],
    ["another scheme", "Basic YWRhOnBhc3N3b3Jk"],
  ])("refuses %s with HTTP 401 UNAUTHENTICATED instead of treating it as anonymous", async (_label, authorization) => {
    const post = await startHttp();
    expectUnauthenticated401(await post(MeDocument, { authorization }));
  });

  it("refuses an expired token and a revoked token with HTTP 401", async () => {
    const { post, user, sessions: [expiring, revoking] } = await twoSessions();
    const prisma = await testPrisma();
    for (const token of [expiring, revoking]) expect((await post(MeDocument, { authorization: bearer(token) })).body.data?.me?.id).toBe(user.id);

    await prisma.authToken.update({ where: { tokenHash: sha256(expiring) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await prisma.authToken.update({ where: { tokenHash: sha256(revoking) }, data: { revokedAt: new Date() } });
    expectUnauthenticated401(await post(MeDocument, { authorization: bearer(expiring) }));
    expectUnauthenticated401(await post(MeDocument, { authorization: bearer(revoking) }));
  });

  it("signOut revokes the session token it was sent with: the next request with it gets 401, other sessions go on", async () => {
    const { post, user, sessions: [leaving, staying] } = await twoSessions();

    expect(await post(SignOutDocument, { authorization: bearer(leaving) })).toEqual({ status: 200, body: { data: { signOut: true } } });
    const row = await (await testPrisma()).authToken.findUniqueOrThrow({ where: { tokenHash: sha256(leaving) } });
    expect(row.revokedAt).toBeInstanceOf(Date);
    expectUnauthenticated401(await post(MeDocument, { authorization: bearer(leaving) }));
    expectUnauthenticated401(await post(SignOutDocument, { authorization: bearer(leaving) }));
    expect((await post(MeDocument, { authorization: bearer(staying) })).body.data?.me?.id).toBe(user.id);

    // Signing out without a token is for signed-in users only.
    const anonymous = await post(SignOutDocument);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("user management (ADMIN only)", () => {
  it("createUser creates an active user; a duplicate email (in any case) is a CONFLICT and changes nothing", async () => {
    const user = await createUserWithPassword({ email: "Ada@Newsroom.Example", role: "REPORTER" });
    expect(user).toMatchObject({ email: "ada@newsroom.example", name: "Ada Lovelace", role: "REPORTER", active: true });

    const before = await databaseSnapshot();
    const error = onlyError(
      await gqlAs("ADMIN", CreateUserDocument, { input: { email: "ADA@newsroom.example", name: "Other Ada", role: "EDITOR", password: "another long password" } }),
    );
    expect(error.extensions).toMatchObject({ code: "CONFLICT", field: "input.email" });
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("createUser refuses a password under 12 characters with BAD_USER_INPUT naming input.password, and changes nothing", async () => {
    const before = await databaseSnapshot();
    const error = onlyError(await gqlAs("ADMIN", CreateUserDocument, { input: { email: "short@newsroom.example", name: "Short", role: "EDITOR", password: "elevenchars" } }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.password" });
    expect(error.message).toContain("input.password");
    expect(error.message).not.toContain("elevenchars");
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("updateUser changes name and role; the new role applies to the user's existing tokens at once", async () => {
    const post = await startHttp();
    const user = await createUserWithPassword({ role: "REPORTER" });
    const token = await sessionToken(post, user);
    const { updateUser } = await gqlOkAs("ADMIN", UpdateUserDocument, { input: { id: user.id, name: "Ada King", role: "EDITOR" } });
    expect(updateUser).toMatchObject({ id: user.id, name: "Ada King", role: "EDITOR", active: true });
    expect((await post(MeDocument, { authorization: bearer(token) })).body.data?.me).toMatchObject({ name: "Ada King", role: "EDITOR" });
  });

  it("updateUser deactivating a user stops all their session and API tokens, and reactivating does not bring them back", async () => {
    const post = await startHttp();
    const user = await createUserWithPassword();
    const session = await sessionToken(post, user);
    const { issueApiToken } = await gqlOkAs("ADMIN", IssueApiTokenDocument, { input: { userId: user.id, name: "import script" } });
    for (const token of [session, issueApiToken.token]) expect((await post(MeDocument, { authorization: bearer(token) })).body.data?.me?.id).toBe(user.id);

    const { updateUser } = await gqlOkAs("ADMIN", UpdateUserDocument, { input: { id: user.id, active: false } });
    expect(updateUser.active).toBe(false);
    for (const token of [session, issueApiToken.token]) expectUnauthenticated401(await post(MeDocument, { authorization: bearer(token) }));
    const refused = await post(SignInDocument, { variables: { input: { email: user.email, password: user.password } } });
    expect(refused.body.errors?.[0]).toMatchObject({ message: "Wrong email or password", extensions: { code: "UNAUTHENTICATED" } });

    // Tokens issued before the deactivation stay dead; the user signs in again.
    await gqlOkAs("ADMIN", UpdateUserDocument, { input: { id: user.id, active: true } });
    for (const token of [session, issueApiToken.token]) expectUnauthenticated401(await post(MeDocument, { authorization: bearer(token) }));
    const again = await post(SignInDocument, { variables: { input: { email: user.email, password: user.password } } });
    expect((await post(MeDocument, { authorization: bearer(again.body.data!.signIn.token) })).body.data?.me?.id).toBe(user.id);
  });

  it("updateUser changing the password: the old one stops working, the new one works", async () => {
    const user = await createUserWithPassword();
    await gqlOkAs("ADMIN", UpdateUserDocument, { input: { id: user.id, password: "a brand new passphrase" } });
    expect(onlyError(await gqlAs(null, SignInDocument, { input: { email: user.email, password: user.password } })).extensions?.code).toBe("UNAUTHENTICATED");
    const { signIn } = await gqlOkAs(null, SignInDocument, { input: { email: user.email, password: "a brand new passphrase" } });
    expect(signIn.user.id).toBe(user.id);
  });

  it("users lists every user for an ADMIN only", async () => {
    const user = await createUserWithPassword();
    const { users } = await gqlOkAs("ADMIN", UsersDocument);
    const expected = await Promise.all((["ADMIN", "EDITOR", "FACT_CHECKER", "REPORTER"] as const).map(async (role) => (await userFor(role)).id));
    expect(users.map((u) => u.id).sort()).toEqual([...expected, user.id].sort());
    for (const role of ["EDITOR", "FACT_CHECKER", "REPORTER"] as const) {
      expect(onlyError(await gqlAs(role, UsersDocument)).extensions?.code).toBe("FORBIDDEN");
    }
    expect(onlyError(await gqlAs(null, UsersDocument)).extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("API tokens", () => {
  it("issueApiToken shows the token once; only its SHA-256 is stored, the token is nowhere in the database", async () => {
    const reporter = await userFor("REPORTER");
    const { issueApiToken } = await gqlOkAs("ADMIN", IssueApiTokenDocument, { input: { userId: reporter.id, name: "nightly import" } });
    const { token, apiToken } = issueApiToken;
    expect(token).toMatch(TOKEN_FORMAT);
    expect(apiToken).toMatchObject({ name: "nightly import", user: { id: reporter.id }, expiresAt: null, lastUsedAt: null, revokedAt: null });

    const prisma = await testPrisma();
    const rows = await prisma.$queryRaw<Array<{ token_hash: string; kind: string }>>`SELECT token_hash, kind::text FROM auth_token WHERE id = ${apiToken.id}::uuid`;
    expect(rows).toEqual([{ token_hash: sha256(token), kind: "API" }]);
    const snapshot = JSON.stringify(await databaseSnapshot());
    expect(snapshot).toContain(sha256(token));
    expect(snapshot).not.toContain(token);
    expect(snapshot).not.toContain(token.slice("cdk_".length));

    // Listing tokens never shows the token again (ApiToken has no such field).
    const { apiTokens } = await gqlOkAs("ADMIN", ApiTokensDocument, { userId: reporter.id });
    expect(apiTokens).toEqual([apiToken]);
    expect(JSON.stringify(apiTokens)).not.toContain(token);
  });

  it("an API token acts as its user over HTTP; apiTokens shows lastUsedAt once it was used", async () => {
    const post = await startHttp();
    const factChecker = await userFor("FACT_CHECKER");
    const { issueApiToken } = await gqlOkAs("ADMIN", IssueApiTokenDocument, { input: { userId: factChecker.id, name: "verdict bot" } });
    const me = await post(MeDocument, { authorization: bearer(issueApiToken.token) });
    expect(me.body.data?.me).toMatchObject({ id: factChecker.id, role: "FACT_CHECKER" });

    const { apiTokens } = await gqlOkAs("ADMIN", ApiTokensDocument, {});
    expect(apiTokens).toHaveLength(1);
    expect(apiTokens[0]!.lastUsedAt).not.toBeNull();
    expect(Math.abs(Date.parse(apiTokens[0]!.lastUsedAt!) - Date.now())).toBeLessThan(60_000);
    // Sessions are not API tokens.
    const user = await createUserWithPassword();
    await gqlOkAs(null, SignInDocument, { input: { email: user.email, password: user.password } });
    expect((await gqlOkAs("ADMIN", ApiTokensDocument, {})).apiTokens.map((t) => t.id)).toEqual([issueApiToken.apiToken.id]);
  });

  it("revokeApiToken stops the token at once (HTTP 401); revoking again changes nothing", async () => {
    const post = await startHttp();
    const editor = await userFor("EDITOR");
    const { issueApiToken } = await gqlOkAs("ADMIN", IssueApiTokenDocument, { input: { userId: editor.id, name: "sync" } });
    expect((await post(MeDocument, { authorization: bearer(issueApiToken.token) })).body.data?.me?.id).toBe(editor.id);

    const { revokeApiToken } = await gqlOkAs("ADMIN", RevokeApiTokenDocument, { id: issueApiToken.apiToken.id });
    expect(revokeApiToken.revokedAt).not.toBeNull();
    expectUnauthenticated401(await post(MeDocument, { authorization: bearer(issueApiToken.token) }));

    const before = await databaseSnapshot();
    const again = await gqlOkAs("ADMIN", RevokeApiTokenDocument, { id: issueApiToken.apiToken.id });
    expect(again.revokeApiToken.revokedAt).toBe(revokeApiToken.revokedAt);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("refuses an unknown user, and an expiry in the past", async () => {
    const unknown = onlyError(await gqlAs("ADMIN", IssueApiTokenDocument, { input: { userId: "5b0c3c1e-8a4e-4a36-9a51-0f3ad2a3a0c1", name: "x" } }));
    expect(unknown.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.userId" });
    const reporter = await userFor("REPORTER");
    const past = onlyError(await gqlAs("ADMIN", IssueApiTokenDocument, { input: { userId: reporter.id, name: "x", expiresAt: "2020-01-01T00:00:00Z" } }));
    expect(past.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.expiresAt" });
    expect(await (await testPrisma()).authToken.count()).toBe(0);
  });
});

describe("the audit log", () => {
  it("never holds a password, a token or their hashes", async () => {
    const post = await startHttp();
    const user = await createUserWithPassword({ password: "first secret passphrase" });
    await gqlOkAs("ADMIN", UpdateUserDocument, { input: { id: user.id, password: "second secret passphrase", name: "Ada King" } });
    const session = await sessionToken(post, { email: user.email, password: "second secret passphrase" });
    await post(SignOutDocument, { authorization: bearer(session) });
    const { issueApiToken } = await gqlOkAs("ADMIN", IssueApiTokenDocument, { input: { userId: user.id, name: "script" } });
    await post(MeDocument, { authorization: bearer(issueApiToken.token) });
    await gqlOkAs("ADMIN", RevokeApiTokenDocument, { id: issueApiToken.apiToken.id });
    await gqlOkAs("ADMIN", UpdateUserDocument, { input: { id: user.id, active: false } });

    const prisma = await testPrisma();
    const entries = await prisma.auditEntry.findMany({ orderBy: { sequence: "asc" } });
    // Something was audited: the user's creation and changes, the token's issue and revocation.
    expect(entries.map((e) => `${e.entity} ${e.action}`)).toEqual(
      expect.arrayContaining(["User CREATE", "User UPDATE", "ApiToken ISSUE_TOKEN", "ApiToken REVOKE_TOKEN"]),
    );
    const passwordChange = entries.find((e) => e.entity === "User" && e.action === "UPDATE");
    expect(passwordChange?.changes).toMatchObject({ name: { before: "Ada Lovelace", after: "Ada King" }, _note: { passwordChanged: true } });

    const hashes = (await prisma.user.findMany()).map((u) => u.passwordHash).filter((h): h is string => h != null);
    const tokenHashes = (await prisma.authToken.findMany()).map((t) => t.tokenHash);
    const secrets = ["first secret passphrase", "second secret passphrase", session, issueApiToken.token, ...hashes, ...tokenHashes];
    const audited = JSON.stringify(entries.map((e) => e.changes));
    for (const secret of secrets) expect({ secret, found: audited.includes(secret) }).toEqual({ secret, found: false });
    for (const field of ["passwordHash", "password_hash", "tokenHash", "token_hash", "scrypt$", "cdk_"]) {
      expect({ field, found: audited.includes(field) }).toEqual({ field, found: false });
    }

    // The same through the API.
    const { auditLog } = await gqlOkAs("ADMIN", AuditLogDocument, { first: 100 });
    expect(auditLog.totalCount).toBe(entries.length);
    const answered = JSON.stringify(auditLog);
    for (const secret of secrets) expect({ secret, found: answered.includes(secret) }).toEqual({ secret, found: false });
  });
});
