import type { FastifyInstance } from "fastify";
import type { Config } from "../config";

/** CORS, security headers and rate limits of the HTTP server. */
export async function registerHttpSecurity(_app: FastifyInstance, _config: Config): Promise<void> {}
