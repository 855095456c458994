import { SearchClustersDocument, SearchDocument, type SearchClustersQuery, type SearchQuery } from "./generated/operations";
import { SNIPPET_WINDOW } from "../src/modules/search/search.text";
import { gqlAs, gqlOk, gqlOkAs, onlyError } from "./support/client";
import { databaseSnapshot, takeStatements, testPrisma } from "./support/environment";

let counter = 0;

async function article(fields: { title: string; body: string; language: string; summary?: string; status?: "DRAFT" | "PUBLISHED" }) {
  const prisma = await testPrisma();
  counter += 1;
  return prisma.article.create({
    data: { slug: `lang-${counter}`, title: fields.title, summary: fields.summary ?? null, body: fields.body, language: fields.language, status: fields.status ?? "PUBLISHED" },
  });
}

async function claim(articleId: string, statement: string, clusterId?: string) {
  const prisma = await testPrisma();
  return prisma.claim.create({ data: { articleId, statement, clusterId: clusterId ?? null } });
}

type Edge = SearchQuery["search"]["edges"][number];
const ids = (edges: Edge[]) => edges.map((edge) => edge.node.item.id);
/** A snippet's text as a reader sees it: without the <mark> tags and the HTML escapes. */
const plain = (snippet: string) =>
  snippet
    .replaceAll("<mark>", "")
    .replaceAll("</mark>", "")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
/** The widest a snippet may be: its window, the match and the ellipses (CJK characters count 2 in the window, 1 here). */
const MAX_SNIPPET = SNIPPET_WINDOW.before + SNIPPET_WINDOW.after + 20 + 4;

/** Searches `query` and expects exactly `id` found, with a short snippet marking `marked`. */
async function expectFound(query: string, id: string, marked: string, body: string) {
  const { search } = await gqlOk(SearchDocument, { query });
  expect({ query, hits: ids(search.edges) }).toEqual({ query, hits: [id] });
  const { snippet } = search.edges[0]!.node;
  expect(snippet).toContain(`<mark>${marked}</mark>`);
  expect(plain(snippet).length).toBeLessThanOrEqual(MAX_SNIPPET);
  expect(plain(snippet).length).toBeLessThan(body.length / 2);
  return snippet;
}

// Short news paragraphs, long enough that a snippet must be cut from them.
const ZH =
  "中国外交部发言人周三表示，北京将对参与对台军售的美国无人机制造商实施反制措施。该发言人在例行记者会上说，相关措施将于下月生效，并呼吁美方停止向台湾出售武器。" +
  "分析人士认为，此举主要针对已被列入出口管制清单的企业，对双边贸易的实际影响有限。";
const JA =
  "日本政府は月曜日、新たな制裁措置を発表した。対象には、ロシアの軍需企業に電子部品を供給した疑いのある複数の商社が含まれる。" +
  "官房長官は記者会見で、国際社会と連携して圧力を強める考えを示したが、具体的な企業名については明らかにしなかった。";
const AR =
  "قالت وزارة الخارجية في بيان صدر مساء الثلاثاء إن الحكومة لم تتلق أي طلب رسمي بهذا الشأن. " +
  "وأضاف البيان أن التقارير التي تحدثت عن تسليم الطائرات المسيرة إلى الجماعة المسلحة عارية عن الصحة، وأن الوزارة تحتفظ بحقها في اتخاذ الإجراءات القانونية.";
const UK =
  "Президент Володимир Зеленський заявив у вечірньому зверненні, що Україна отримає нові системи протиповітряної оборони від партнерів. " +
  "За його словами, війна не закінчиться без надійних гарантій безпеки, а переговори з союзниками тривають щодня.";
const RU =
  "Министр иностранных дел России Сергей Лавров заявил на пресс-конференции в Москве, что ответ на новые санкции Евросоюза не заставит себя ждать. " +
  "Он также отверг обвинения в поставках вооружений и назвал публикации западных СМИ провокацией.";
const DE =
  "Die Bundesregierung hat am Dienstag neue Sanktionen gegen iranische Drohnenhersteller beschlossen. " +
  "Ein Sprecher des Auswärtigen Amts sagte in Berlin, man stimme sich eng mit den europäischen Partnern ab und prüfe weitere Maßnahmen.";
const EN =
  "Officials in the capital spent most of Tuesday answering questions from reporters about the leaked memo. " +
  "The ministry denied that it had supplied drones to the armed group, calling the newspaper's report fabricated and politically motivated.";

describe("search in many languages", () => {
  it("Chinese: a word inside a clause is found (character bigrams), the snippet is cut around it", async () => {
    const story = await article({ title: "北京回应军售问题", body: ZH, language: "zh" });
    await article({ title: "天气预报", body: "明天北京有雨，气温下降。", language: "zh" });

    // 外交部 stands inside the clause 中国外交部发言人周三表示: a word of it, not the clause, is searched.
    const snippet = await expectFound("外交部", story.id, "外交部", ZH);
    expect(snippet).toMatch(/^北京回应军售问题 中国<mark>外交部<\/mark>发言人周三表示，.*…$/);
    // Four words of the body, each inside a longer clause: all found (they were 0 hits before).
    const four = await expectFound("发言人 无人机 制造商 生效", story.id, "发言人", ZH);
    // Adjacent matches are one mark.
    expect(four).toContain("<mark>无人机制造商</mark>");
    // A word far into the body: the snippet starts with "…" and is centred on it.
    const far = await expectFound("出口管制", story.id, "出口管制", ZH);
    expect(far.startsWith("…")).toBe(true);
    // Words that are not in the text find nothing, though their characters are (外交官: 外交 + 交官).
    expect((await gqlOk(SearchDocument, { query: "外交官" })).search.edges).toEqual([]);
    expect((await gqlOk(SearchDocument, { query: "外交部 -无人机" })).search.edges).toEqual([]);
    // A quoted phrase, and a word split by a space inside quotes, as the text writes it without.
    expect(ids((await gqlOk(SearchDocument, { query: '"美国 无人机"' })).search.edges)).toEqual([story.id]);
  });

  it("Japanese: a word inside a clause, in kanji and in katakana", async () => {
    const story = await article({ title: "政府、追加制裁を発表", body: JA, language: "ja" });
    await expectFound("制裁措置", story.id, "制裁措置", JA);
    await expectFound("電子部品", story.id, "電子部品", JA);
    const katakana = await expectFound("ロシア 商社", story.id, "ロシア", JA);
    expect(katakana).toContain("<mark>商社</mark>");
    expect((await gqlOk(SearchDocument, { query: "経済制裁" })).search.edges).toEqual([]);
  });

  it("Korean: a word with its particle attached is found without it", async () => {
    const body = "국방부는 월요일 성명을 통해 북한이 동해상으로 단거리 탄도미사일 두 발을 발사했다고 밝혔다. 합동참모본부는 추가 발사에 대비해 감시를 강화하고 있다고 덧붙였다. " +
      "정부는 국가안전보장회의를 긴급 소집해 대응 방안을 논의했으며, 관계 부처는 미국 및 일본과 긴밀히 협의하고 있다고 전했다.";
    const story = await article({ title: "군 당국 발표", body, language: "ko" });
    // The text says 국방부는 (the ministry of defence + topic particle) and 탄도미사일.
    await expectFound("국방부", story.id, "국방부", body);
    await expectFound("미사일", story.id, "미사일", body);
  });

  it("never errors on hostile CJK queries", async () => {
    await article({ title: "标题", body: ZH, language: "zh" });
    for (const query of ['"中国', '-"外交部', '中"国', "外交部:*", "外交部 & | ! ( )", '""外交部""', "-中国 -外交部", "中".repeat(500), "外交部 ".repeat(40)]) {
      const result = await gqlAs("EDITOR", SearchDocument, { query });
      expect({ query, errors: result.errors }).toEqual({ query, errors: undefined });
    }
  });

  it("Chinese names in sources and claims (indexed with 'simple') are found word by word too", async () => {
    const prisma = await testPrisma();
    const ministry = await prisma.source.create({ data: { kind: "ORGANIZATION", name: "中华人民共和国外交部", description: "中国政府负责外交事务的部门" } });
    const story = await article({ title: "Statement", body: "Text.", language: "en" });
    const made = await claim(story.id, "The 中国外交部 spokesperson denied the report");
    const { search } = await gqlOk(SearchDocument, { query: "外交部" });
    expect(ids(search.edges).sort()).toEqual([ministry.id, made.id].sort());
    for (const edge of search.edges) expect(edge.node.snippet).toContain("<mark>外交部</mark>");
  });

  it("Arabic: another form of the word, through the arabic stemmer", async () => {
    const story = await article({ title: "بيان وزارة الخارجية", body: AR, language: "ar" });
    // The text says الطائرات (the aircraft, plural); the query is طائرة (an aircraft).
    await expectFound("طائرة", story.id, "الطائرات", AR);
    // The text says الحكومة; the query للحكومة ("for the government").
    await expectFound("للحكومة", story.id, "الحكومة", AR);
  });

  it("Ukrainian (no stemmer): other cases of a name and a noun, through prefix queries", async () => {
    const story = await article({ title: "Звернення президента", body: UK, language: "uk" });
    // Instrumental "Зеленським" finds nominative "Зеленський"; locative "війні" finds "війна".
    await expectFound("Зеленським", story.id, "Зеленський", UK);
    await expectFound("війні", story.id, "війна", UK);
    await expectFound("Україною", story.id, "Україна", UK);
    // Several inflected words at once, all required.
    await expectFound("Зеленського системами оборону", story.id, "Зеленський", UK);
    // A word that is not there finds nothing; an excluded form excludes every form.
    expect((await gqlOk(SearchDocument, { query: "Зеленським миру" })).search.edges).toEqual([]);
    expect((await gqlOk(SearchDocument, { query: "Зеленським -війною" })).search.edges).toEqual([]);
  });

  it("Russian, German, English: another form of the word, through their stemmers", async () => {
    const ru = await article({ title: "Заявление МИД", body: RU, language: "ru" });
    const de = await article({ title: "Neue Maßnahmen", body: DE, language: "de" });
    const en = await article({ title: "Memo", body: EN, language: "en" });
    // "санкциям" (dative) finds "санкции"; "министра" (genitive) finds "Министр".
    await expectFound("санкциям", ru.id, "санкции", RU);
    await expectFound("министра", ru.id, "Министр", RU);
    // "Drohnenherstellern" (dative plural) finds "Drohnenhersteller".
    await expectFound("Drohnenherstellern", de.id, "Drohnenhersteller", DE);
    // "supplying" finds "supplied", "denies" finds "denied": the match is far into the body.
    const snippet = await expectFound("supplying denies", en.id, "denied", EN);
    expect(snippet).toContain("<mark>supplied</mark>");
    expect(snippet.startsWith("… ")).toBe(true);
  });

  it("never sends nearly the whole body: snippets of long texts in every language stay short", async () => {
    const long = (text: string, times: number) => Array.from({ length: times }, () => text).join(" ");
    const stories = [
      { query: "制造商", body: long(ZH, 5), language: "zh" },
      { query: "電子部品", body: long(JA, 5), language: "ja" },
      { query: "Зеленським", body: long(UK, 5), language: "uk" },
      { query: "sanctions", body: long(`${EN} New sanctions were announced.`, 5), language: "en" },
    ];
    for (const story of stories) {
      const made = await article({ title: "Long", body: story.body, language: story.language });
      const { search } = await gqlOk(SearchDocument, { query: story.query });
      const hit = search.edges.find((edge) => edge.node.item.id === made.id)!;
      expect({ query: story.query, long: plain(hit.node.snippet).length > MAX_SNIPPET }).toEqual({ query: story.query, long: false });
      expect(hit.node.snippet).toMatch(/<mark>/);
    }
  });
});

describe("search grouped by claim cluster", () => {
  async function story() {
    const prisma = await testPrisma();
    const cluster = await prisma.claimCluster.create({ data: {} });
    const a1 = await article({ title: "Report one", body: "Text.", language: "en" });
    const a2 = await article({ title: "Report two", body: "Text.", language: "en" });
    const a3 = await article({ title: "Звіт", body: "Текст.", language: "uk" });
    const a4 = await article({ title: "Draft report", body: "Text.", language: "en", status: "DRAFT" });
    const c1 = await claim(a1.id, "Russia bought Chinese drones for the front line last spring", cluster.id);
    const c2 = await claim(a2.id, "Russia bought drones made in China for use at the front", cluster.id);
    const c3 = await claim(a3.id, "Росія купила китайські дрони для фронту", cluster.id);
    // The best match of the cluster (the shortest statement), but in a draft.
    const c4 = await claim(a4.id, "Russia bought drones", cluster.id);
    const c5 = await claim(a1.id, "Drones were bought in 2023 through intermediaries in Central Asia");
    return { cluster, c1, c2, c3, c4, c5 };
  }
  const claimHits = (data: SearchClustersQuery) => data.search.edges.filter((edge) => edge.node.kind === "CLAIM").map((edge) => edge.node);

  it("without grouping: every claim is a hit, a clustered one says how many other reports of it exist", async () => {
    const { cluster, c1, c2, c5 } = await story();
    const data = await gqlOkAs(null, SearchClustersDocument, { query: "drones" });
    const hits = claimHits(data);
    expect(hits.map((hit) => hit.item.id).sort()).toEqual([c1.id, c2.id, c5.id].sort());
    expect(data.search.totalCount).toBe(3);
    const first = hits.find((hit) => hit.item.id === c1.id)!;
    // Anonymous: the draft's claim is not counted; the Ukrainian one is, though it did not match.
    expect(first.cluster).toEqual({ id: cluster.id, otherClaimCount: 2, otherMatchingClaimCount: 1, articleCount: 3, languages: ["en", "uk"] });
    expect(hits.find((hit) => hit.item.id === c5.id)!.cluster).toBeNull();
  });

  it("grouped: one hit per cluster, the best visible claim, counted once; staff see the draft's claim", async () => {
    const { cluster, c1, c2, c4, c5 } = await story();
    const anonymous = await gqlOkAs(null, SearchClustersDocument, { query: "drones", group: true });
    const hits = claimHits(anonymous);
    expect(hits).toHaveLength(2);
    expect(anonymous.search.totalCount).toBe(2);
    const representative = hits.find((hit) => hit.cluster)!;
    expect([c1.id, c2.id]).toContain(representative.item.id);
    expect(representative.cluster).toEqual({ id: cluster.id, otherClaimCount: 2, otherMatchingClaimCount: 1, articleCount: 3, languages: ["en", "uk"] });
    expect(hits.find((hit) => !hit.cluster)!.item.id).toBe(c5.id);

    const staff = await gqlOk(SearchClustersDocument, { query: "drones", group: true });
    const staffHits = claimHits(staff);
    expect(staffHits).toHaveLength(2);
    expect(staff.search.totalCount).toBe(2);
    expect(staffHits.find((hit) => hit.cluster)).toMatchObject({ item: { id: c4.id }, cluster: { otherClaimCount: 3, otherMatchingClaimCount: 2, articleCount: 4 } });

    // Paging one hit at a time walks the same grouped hits, without repeating one.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: SearchClustersQuery = await gqlOkAs(null, SearchClustersDocument, { query: "drones", group: true, first: 1, after });
      seen.push(...page.search.edges.map((edge) => edge.node.item.id));
      if (!page.search.pageInfo.hasNextPage) break;
      after = page.search.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(hits.map((hit) => hit.item.id).sort());
  });

  it("costs one statement, grouped and with clusters, and refuses a non-boolean groupClaimsByCluster", async () => {
    await story();
    takeStatements();
    await gqlOk(SearchClustersDocument, { query: "drones", group: true, first: 10 });
    expect(takeStatements()).toHaveLength(1);

    const before = await databaseSnapshot();
    const bad = onlyError(await gqlAs("EDITOR", SearchClustersDocument, { query: "drones", group: "yes" as unknown as boolean }));
    expect(bad.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await databaseSnapshot()).toEqual(before);
  });
});
