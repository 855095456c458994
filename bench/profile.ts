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


interface ProfileNodeWithChildren extends ProfileNode {
  children?: number[];
}

/** The package a frame belongs to (null for Node's own code and native frames). */
function ownerOf(url: string): string | null {
  const clean = url.replace(/^file:\/\//, "");
  const nm = clean.lastIndexOf("node_modules/");
  if (nm === -1) return clean.includes("/src/") || clean.includes("/prisma/") ? "claimdesk src/" : null;
  const rest = clean.slice(nm + "node_modules/".length).split("/");
  return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

export function summarizeProfile(file: string, top = 25): string[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile & { nodes: ProfileNodeWithChildren[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  let total = 0;
  let idle = 0;
  const frames = new Map<string, number>();
  const owners = new Map<string, number>();
  const writes = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const leaf = byId.get(profile.samples[i]!)!;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const name = leaf.callFrame.functionName || "(anonymous)";
    total += ms;
    if (name === "(idle)") {
      idle += ms;
      continue;
    }
    const key = `${name}  ${where(leaf.callFrame.url)}${leaf.callFrame.url ? `:${leaf.callFrame.lineNumber + 1}` : ""}`;
    frames.set(key, (frames.get(key) ?? 0) + ms);
    // Owner: the nearest frame of the stack that belongs to a package (or claimdesk's own code), so
    // that native work (socket writes, JSON) is charged to whoever asked for it.
    let owner: string | null = null;
    for (let id: number | undefined = leaf.id; id !== undefined && !owner; id = parent.get(id)) owner = ownerOf(byId.get(id)!.callFrame.url);
    owner ??= name.startsWith("(") ? name : "node internals";
    owners.set(owner, (owners.get(owner) ?? 0) + ms);
    if (name === "writev" || name === "writeBuffer" || name === "writeUtf8String") writes.set(owner, (writes.get(owner) ?? 0) + ms);
  }
  const busy = total - idle;
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const lines = [
    `busy ${(busy / 1000).toFixed(1)} s of ${(total / 1000).toFixed(1)} s sampled (percentages of busy time)`,
    "",
    "by package (each sample charged to the nearest package on its stack):",
  ];
  for (const [owner, ms] of [...owners].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${pct(ms)}  ${owner}`);
  if (writes.size) {
    lines.push("", "of which socket writes (writev):");
    for (const [owner, ms] of [...writes].sort((a, b) => b[1] - a[1]).slice(0, 4)) lines.push(`  ${pct(ms)}  ${owner}`);
  }
  lines.push("", "top frames (self time):");
  for (const [frame, ms] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(ms)}  ${frame}`);
  return lines;
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: tsx bench/profile.ts <file.cpuprofile> [top]");
  console.log(summarizeProfile(file, Number(process.argv[3] ?? 25)).join("\n"));
}
