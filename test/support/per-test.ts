import { resetDatabase, closeTestEnvironment } from "./environment";

beforeEach(async () => {
  await resetDatabase();
});

afterAll(async () => {
  await closeTestEnvironment();
});
