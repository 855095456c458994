/** Summarises a V8 .cpuprofile (node --cpu-prof): top frames and packages by self time. */
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  if (!url) return "";
  const clean = url.replace(/^file:\/\//, "");
  const nm = clean.lastIndexOf("node_modules/");
  if (nm !== -1) return clean.slice(nm + "node_modules/".length);
  const root = path.join(__dirname, "..") + path.sep;
  return clean.startsWith(root) ? clean.slice(root.length) : clean;
}

function packageOf(url: string): string {
  const clean = url.replace(/^file:\/\//, "");
  const nm = clean.lastIndexOf("node_modules/");
  if (nm === -1) return clean.includes("/src/") ? "claimdesk src/" : clean ? "node internals" : "(native/GC/idle)";
  const rest = clean.slice(nm + "node_modules/".length).split("/");
  return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

export function summarizeProfile(file: string, top = 25): string[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  let total = 0;
  let idle = 0;
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName || "(anonymous)";
    total += ms;
    if (name === "(idle)" || name === "(program)") {
      idle += name === "(idle)" ? ms : 0;
    }
    const key = `${name}  ${where(node.callFrame.url)}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ""}`;
    frames.set(key, (frames.get(key) ?? 0) + ms);
    const pkg = name.startsWith("(") ? name : packageOf(node.callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
  }
  const busy = total - idle;
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const lines = [`busy ${(busy / 1000).toFixed(1)} s of ${(total / 1000).toFixed(1)} s sampled (percentages of busy time)`, "", "by package:"];
  for (const [pkg, ms] of [...packages].filter(([p]) => p !== "(idle)").sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${pct(ms)}  ${pkg}`);
  lines.push("", "top frames (self time):");
  for (const [frame, ms] of [...frames].filter(([f]) => !f.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(ms)}  ${frame}`);
  return lines;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: tsx bench/profile.ts <file.cpuprofile> [top]");
  console.log(summarizeProfile(file, Number(process.argv[3] ?? 25)).join("\n"));
}
