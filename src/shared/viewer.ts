import type { Role } from "../generated/prisma/enums";

export type { Role };

/** Who is asking: a signed-in user, or null for an anonymous reader. */
export interface Viewer {
  id: string;
  role: Role;
  name: string;
  email: string;
}
