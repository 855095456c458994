/**
 * Configuration: one zod schema parses every variable; a bad value stops the real entry point with
 * one JSON line naming every problem and exit code 1; one boolean grammar everywhere.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, parseConfig } from "../src/config";
import { freePort, jsonLines, spawnLogged } from "./support/processes";

async function startWith(env: Record<string, string>) {
  const server = spawnLogged(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, PORT: String(await freePort()), LOG_LEVEL: "info", ...env },
  });
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 30_000);
  const exit = await server.exited;
  clearTimeout(timer);
  return { exit, output: server.output() };
}

describe("configuration errors", () => {
  it("stop the start with one JSON line naming every bad variable, and exit code 1", async () => {
    const { exit, output } = await startWith({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/claimdesk", PORT: "70000", PUBLISHED_CACHE: "maybe" });
    expect(exit).toEqual({ code: 1, signal: null });
    const lines = jsonLines(output);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe(60);
    expect(lines[0]!.msg).toContain('PORT must be an integer from 0 to 65535; got "70000"');
    expect(lines[0]!.msg).toContain('PUBLISHED_CACHE must be one of true/false, on/off, 1/0, yes/no; got "maybe"');
  }, 60_000);

  it("refuse a database URL that is not postgresql://", async () => {
    const { exit, output } = await startWith({ DATABASE_URL: "mysql://root@127.0.0.1/claimdesk" });
    expect(exit).toEqual({ code: 1, signal: null });
    expect(jsonLines(output)).toEqual([expect.objectContaining({ level: 60, msg: expect.stringContaining("DATABASE_URL must be a postgresql:// URL") })]);
  }, 60_000);
});


describe("boolean settings", () => {
  const BOOLEANS = ["MIGRATE_ON_START", "PUBLISHED_CACHE", "SEED_WHEN_EMPTY", "INTROSPECTION", "PLAYGROUND", "FIELD_SUGGESTIONS", "APQ"] as const;
  const FIELD: Record<(typeof BOOLEANS)[number], keyof ReturnType<typeof parseConfig>> = {
    MIGRATE_ON_START: "migrateOnStart",
    PUBLISHED_CACHE: "publishedCache",
    SEED_WHEN_EMPTY: "seedWhenEmpty",
    INTROSPECTION: "introspection",
    PLAYGROUND: "playground",
    FIELD_SUGGESTIONS: "fieldSuggestions",
    APQ: "persistedQueries",
  };

  it.each(BOOLEANS)("%s reads true/false, on/off, 1/0, yes/no in any case", (name) => {
    for (const raw of ["true", "on", "1", "yes", "TRUE", " On "]) expect(parseConfig({ [name]: raw })[FIELD[name]]).toBe(true);
    for (const raw of ["false", "off", "0", "no", "False", "OFF"]) expect(parseConfig({ [name]: raw })[FIELD[name]]).toBe(false);
  });

  it.each(BOOLEANS)("%s refuses anything else with a message naming it", (name) => {
    expect(() => parseConfig({ [name]: "enabled" })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: "enabled" })).toThrow(new RegExp(`${name} must be one of true/false, on/off, 1/0, yes/no; got "enabled"`));
  });

  it("defaults the demo seed, introspection, playground, suggestions and APQ on in development and off in production", () => {
    const development = parseConfig({});
    const production = parseConfig({ NODE_ENV: "production" });
    for (const field of ["seedWhenEmpty", "introspection", "playground", "fieldSuggestions", "persistedQueries"] as const) {
      expect(development[field]).toBe(true);
      expect(production[field]).toBe(false);
    }
    expect(production.migrateOnStart).toBe(true);
    expect(parseConfig({ NODE_ENV: "production", MIGRATE_ON_START: "off" }).migrateOnStart).toBe(false);
    // Empty means unset: the default applies.
    expect(parseConfig({ NODE_ENV: "production", SEED_WHEN_EMPTY: "" }).seedWhenEmpty).toBe(false);
  });

  it("reads numbers with bounds and reports every bad value at once", () => {
    expect(parseConfig({ DATABASE_CONNECT_TIMEOUT_MS: "2500" }).databaseConnectTimeoutMs).toBe(2500);
    try {
      parseConfig({ DATABASE_CONNECT_TIMEOUT_MS: "5s", STARTUP_TIMEOUT_MS: "10", LOG_LEVEL: "loud" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });
});

describe("documentation of the settings", () => {
  const source = readFileSync(path.join(__dirname, "..", "src", "config.ts"), "utf8");
  const schema = source.slice(source.indexOf("const environmentSchema = z.object({"), source.indexOf("\n});", source.indexOf("const environmentSchema")));
  const variables = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);

  it("finds the variables of src/config.ts", () => {
    expect(variables).toEqual(expect.arrayContaining(["DATABASE_URL", "MIGRATE_ON_START", "STARTUP_TIMEOUT_MS", "QUERY_MAX_COST"]));
  });

  it("docs/operations.md and .env.example list every variable", () => {
    const operations = readFileSync(path.join(__dirname, "..", "docs", "operations.md"), "utf8");
    const example = readFileSync(path.join(__dirname, "..", ".env.example"), "utf8");
    expect(variables.filter((name) => !operations.includes(`| \`${name}\` |`))).toEqual([]);
    expect(variables.filter((name) => !new RegExp(`^${name}=`, "m").test(example))).toEqual([]);
  });
});
