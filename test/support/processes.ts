import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ROOT = path.join(__dirname, "..", "..");

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  /** The start and the end of the output, for failure messages. */
  excerpt: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnLogged(command: string, args: string[], options: SpawnOptions): Spawned {
  const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], ...options });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const excerpt = () => (output.length <= 6_000 ? output : `${output.slice(0, 2_000)}\n[...]\n${output.slice(-4_000)}`);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => output, excerpt, exited };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(2_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Live (not zombie) processes of a process group, as "pid command" lines. */
export function liveProcessesOfGroup(pgid: number): string[] {
  const table = execFileSync("ps", ["-eo", "pid=,pgid=,stat=,args="], { encoding: "utf8" });
  return table
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && stat !== undefined && !stat.startsWith("Z"))
    .map(([pid, , , ...args]) => `${pid} ${args.join(" ")}`);
}

/** A TCP server that accepts connections and never says anything (a hung PostgreSQL). */
export async function blackHole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` every 100 ms until it returns a value, or throws `describe()` after `ms`. */
export async function waitFor<T>(ms: number, check: () => Promise<T | undefined> | T | undefined, describe: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(describe());
}

/** Every line of a process's output, parsed as JSON (throws on the first line that is not). */
export function jsonLines(output: string): Array<Record<string, unknown>> {
  return output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line.slice(0, 300)}`);
      }
    });
}

/** A temporary folder for an embedded PostgreSQL's data (`dataDir`), reachable by it when the tests run as root. */
export async function embeddedWorkDir(prefix: string): Promise<{ workDir: string; dataDir: string }> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  // As root, the embedded PostgreSQL runs as the `postgres` system user, which must reach the folder.
  await chmod(workDir, 0o777);
  return { workDir, dataDir: path.join(workDir, "postgres") };
}

/** Removes it, first stopping a PostgreSQL a failed test left running in it. */
export async function removeEmbeddedWorkDir({ workDir, dataDir }: { workDir: string; dataDir: string }): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, "SIGQUIT");
      } catch {
        // already gone
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  await rm(workDir, { recursive: true, force: true });
}
