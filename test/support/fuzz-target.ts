/**
 * What the fuzzer needs from a database it may write to: the example story (so that ids exist),
 * local users with fixed ids (targets for user mutations), and one actor per role that the fuzzer
 * signs in as. Actors are not in the id pool, so the fuzzer cannot deactivate them; it can still
 * sign itself out (signOut), and then `renew` reactivates the actor and issues a new token.
 */
import type { PrismaClient } from "../../src/db/prisma";
import { issueToken } from "../../src/modules/user/user.tokens";
import { CLAIMS, DRAFT, RESPONSE, SOURCES, STORY, seedExampleStory, seedId } from "../../prisma/seed-data/example-story";
import { LOCAL_USERS } from "../../prisma/seed-data/local-users";
import { FUZZ_ROLES, type Credentials, type FuzzPools, type FuzzRole } from "./fuzz";

/** The ids the example story always has (stable: `seedId`), whatever database it was loaded into. */
export function exampleStoryPools(extraIds: string[] = []): FuzzPools {
  const ids = [STORY.id, DRAFT.id, RESPONSE.id];
  for (const key of Object.keys(SOURCES)) ids.push(seedId(`source:${key}`));
  for (const claim of CLAIMS) {
    ids.push(seedId(`claim:${claim.key}`));
    for (const key of ["dw", "reuters", "afp", "officials", "intel"]) ids.push(seedId(`attribution:${claim.key}:${key}`));
  }
  return { ids: [...ids, ...extraIds], slugs: [STORY.slug, DRAFT.slug] };
}

const actorId = (role: FuzzRole) => seedId(`fuzz-actor:${role}`);
const localUserId = (key: string) => seedId(`fuzz-local-user:${key}`);

/** Loads the example story and the users into `prisma`'s database; the pools and tokens to fuzz it with. */
export async function prepareFuzzDatabase(prisma: PrismaClient): Promise<{ pools: FuzzPools; credentials: Credentials }> {
  // Local users with fixed ids (seedExampleStory keeps existing users), so that operations are the same on every run.
  for (const user of LOCAL_USERS) {
    await prisma.user.upsert({ where: { email: user.email }, create: { id: localUserId(user.key), email: user.email, name: user.name, role: user.role }, update: {} });
  }
  await seedExampleStory(prisma, { localUsers: true });
  for (const role of FUZZ_ROLES) {
    const id = actorId(role);
    await prisma.user.upsert({ where: { id }, create: { id, email: `fuzz-${role.toLowerCase()}@fuzz.claimdesk.local`, name: `Fuzz ${role}`, role }, update: { role, active: true } });
  }
  const tokens = new Map<FuzzRole, Promise<string>>();
  const issue = async (role: FuzzRole) => {
    await prisma.user.update({ where: { id: actorId(role) }, data: { role, active: true } });
    return (await issueToken(prisma, actorId(role), "API", { name: "fuzz" })).token;
  };
  const credentials: Credentials = {
    token: (role) => {
      let token = tokens.get(role);
      if (!token) tokens.set(role, (token = issue(role)));
      return token;
    },
    renew: async (role) => {
      tokens.set(role, issue(role));
      await tokens.get(role);
    },
  };
  return { pools: exampleStoryPools(LOCAL_USERS.map((user) => localUserId(user.key))), credentials };
}
