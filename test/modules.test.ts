import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildContext, createLoaders } from "../src/context";
import { modules } from "../src/modules";
import { createArticle, updateArticle } from "../src/modules/article/article.service";
import type { ModuleLoaders } from "../src/shared/context";
import { userFor } from "./support/client";
import { testPrisma } from "./support/environment";

describe("the module list (src/modules/index.ts)", () => {
  it("names each module once, and each loader comes from exactly one module", async () => {
    const prisma = await testPrisma();
    const names = modules.map((module) => module.name);
    expect(new Set(names).size).toBe(names.length);

    // Built as the context builds them; a loader name made by two modules would silently replace the other.
    const byModule: Partial<Record<keyof ModuleLoaders, object>> = {};
    const owners = new Map<string, string[]>();
    for (const { name, loaders } of modules) {
      if (!loaders) continue;
      byModule[name] = loaders.create(prisma, null, byModule as ModuleLoaders);
      for (const loader of Object.keys(byModule[name])) owners.set(loader, [...(owners.get(loader) ?? []), name]);
    }
    expect([...owners].filter(([, owner]) => owner.length > 1)).toEqual([]);
    expect(Object.keys(createLoaders(prisma, null)).sort()).toEqual([...owners.keys()].sort());
    expect(owners.get("latestVerdictByClaimId")).toEqual(["verdict"]);
  });

  it("gives a context fresh loaders after each write, so that reads after it see the change", async () => {
    const prisma = await testPrisma();
    const ctx = buildContext(prisma, await userFor("EDITOR"));
    const created = await createArticle(ctx, { title: "Before" });
    const before = ctx.loaders;
    expect((await ctx.loaders.articleById.load(created.id))?.title).toBe("Before");

    await updateArticle(ctx, { id: created.id, expectedVersion: created.version, title: "After" });
    expect((await ctx.loaders.articleById.load(created.id))?.title).toBe("After");
    // The loaders the write replaced still hold what they had cached: that is why they are replaced.
    expect((await before.articleById.load(created.id))?.title).toBe("Before");
  });
});

describe("npm run check:cycles: src/shared imports no module and no composition root", () => {
  const script = path.join(__dirname, "..", "scripts", "check-shared-imports.js");

  it("passes on this repository", () => {
    expect(execFileSync(process.execPath, [script], { encoding: "utf8" })).toContain("src/shared imports no module");
  });

  it("fails on a shared file that imports a module or the context, type imports included", () => {
    const src = mkdtempSync(path.join(tmpdir(), "claimdesk-layers-"));
    try {
      mkdirSync(path.join(src, "shared"));
      writeFileSync(path.join(src, "shared", "fine.ts"), 'import { x } from "./errors";\nimport type { PrismaClient } from "../db/prisma";\n');
      writeFileSync(
        path.join(src, "shared", "bad.ts"),
        'import type { Context } from "../context";\nimport { recordAudit } from "../modules/audit/audit.service";\nexport { modules } from "../modules";\n',
      );
      const run = spawnSync(process.execPath, [script, src], { encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("imports ../context");
      expect(run.stderr).toContain("imports ../modules/audit/audit.service");
      expect(run.stderr).toContain("imports ../modules\n");
      expect(run.stderr).not.toContain("fine.ts");
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });
});
