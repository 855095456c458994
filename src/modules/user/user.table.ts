import { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";
import { column, defineTable, enumColumn, timestamp } from "../../shared/planner/table";

/** How the read planner reads a User (src/shared/planner): staff see users, anonymous readers none. */
export const userTable = defineTable({
  type: "User",
  table: "app_user",
  visible: (viewer) => (seesUnpublished(viewer) ? Prisma.sql`TRUE` : Prisma.sql`FALSE`),
  fields: {
    id: column("id"),
    email: column("email"),
    name: column("name"),
    role: enumColumn("role"),
    active: column("active"),
    createdAt: timestamp("created_at"),
  },
});
