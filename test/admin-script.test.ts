import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { viewerForToken } from "../src/modules/user/user.tokens";
import { SignInDocument } from "./generated/operations";
import { gqlAs, gqlOkAs, onlyError } from "./support/client";
import { workerDatabaseUrl } from "./support/databases";
import { testPrisma } from "./support/environment";

const run = promisify(execFile);
const root = path.join(__dirname, "..");

/** `npm run admin:create`, as an operator runs it on a fresh installation. */
function createAdmin(args: string[], env: Record<string, string> = {}) {
  return run(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/create-admin.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: workerDatabaseUrl(), ...env },
  });
}

describe("npm run admin:create (the first admin)", () => {
  it("creates an ADMIN who can sign in, and issues an API token shown once", async () => {
    await testPrisma();
    const { stdout } = await createAdmin(["--email", "Ada@Newsroom.example", "--name", "Ada Admin", "--token", "import script"], {
      ADMIN_PASSWORD: "a long enough password",
    });
    expect(stdout).toContain("Admin created: ada@newsroom.example");
    expect(stdout).not.toContain("a long enough password");
    const token = /API token "import script" \(shown once\): (cdk_\S+)/.exec(stdout)?.[1];
    expect(token).toBeDefined();

    const { signIn } = await gqlOkAs(null, SignInDocument, { input: { email: "ada@newsroom.example", password: "a long enough password" } });
    expect(signIn.user).toMatchObject({ email: "ada@newsroom.example", role: "ADMIN" });
    expect(await viewerForToken(await testPrisma(), token!)).toMatchObject({ email: "ada@newsroom.example", role: "ADMIN" });

    const stored = await (await testPrisma()).authToken.findFirstOrThrow({ where: { name: "import script" } });
    expect(stored.tokenHash).not.toContain(token!);
  });

  it("generates and prints a password when none is given, and refuses a second user with the same email", async () => {
    await testPrisma();
    const { stdout } = await createAdmin(["--email", "root@newsroom.example", "--name", "Root"]);
    const password = /Password \(shown once\): (\S+)/.exec(stdout)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(12);
    await gqlOkAs(null, SignInDocument, { input: { email: "root@newsroom.example", password: password! } });
    const wrong = onlyError(await gqlAs(null, SignInDocument, { input: { email: "root@newsroom.example", password: "not the password" } }));
    expect(wrong.extensions?.code).toBe("UNAUTHENTICATED");

    await expect(createAdmin(["--email", "root@newsroom.example", "--name", "Root again"])).rejects.toMatchObject({
      stderr: expect.stringContaining("already exists"),
    });
    expect(await (await testPrisma()).user.count({ where: { email: "root@newsroom.example" } })).toBe(1);
  });
});
