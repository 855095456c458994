import { parseConfig, type Config } from "../../src/config";

/** The server's configuration as a test needs it: parsed by the real schema, quiet logs. */
export function testConfig(env: Record<string, string> = {}): Config {
  return parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env });
}
