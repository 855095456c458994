/**
 * Newsroom-like text for the benchmark dataset: sentences built from a vocabulary, so that bodies
 * read roughly like wire copy and search words occur with realistic, uneven frequencies.
 */
import type { Rng } from "./prng";

export const COUNTRIES = [
  "China", "Russia", "Ukraine", "Germany", "France", "Poland", "India", "Brazil", "Turkey", "Japan",
  "South Korea", "Iran", "Israel", "Egypt", "Nigeria", "Kenya", "Mexico", "Canada", "Australia", "Indonesia",
  "Vietnam", "Pakistan", "Saudi Arabia", "Qatar", "Norway", "Sweden", "Finland", "Italy", "Spain", "Hungary",
];

const ACTORS = [
  "the government", "the central bank", "the defence ministry", "the finance ministry", "the health ministry",
  "the state energy company", "the national rail operator", "the election commission", "the army", "the coast guard",
  "the port authority", "the statistics office", "the trade ministry", "the interior ministry", "the foreign ministry",
];

const VERBS = [
  "supplies", "imports", "exports", "buys", "sells", "produces", "stockpiles", "subsidises", "restricts", "bans",
  "doubled its purchases of", "cut its imports of", "secretly financed", "quietly expanded", "sharply increased sales of",
  "halted shipments of", "resumed deliveries of", "tripled production of", "underreported spending on", "overstated output of",
];

export const TOPICS = [
  "semiconductors", "microelectronics", "drones", "missiles", "machine tools", "turbojet engines", "optical components",
  "fertiliser", "wheat", "grain", "natural gas", "crude oil", "diesel", "coal", "lithium", "copper", "nickel", "steel",
  "vaccines", "antibiotics", "insulin", "solar panels", "wind turbines", "batteries", "electric cars", "tractors",
  "satellite imagery", "surveillance cameras", "ammunition", "artillery shells", "body armour", "nitrocellulose",
  "rare earths", "cobalt", "uranium", "timber", "cotton", "rice", "sugar", "coffee", "cocoa", "fishmeal",
  "telecom equipment", "routers", "smartphones", "servers", "software licences", "cloud services", "cargo ships", "helicopters",
  "aluminium", "titanium", "tungsten", "palladium", "platinum", "gallium", "germanium", "graphite", "manganese", "zinc",
  "jet fuel", "liquefied gas", "hydrogen", "ethanol", "biodiesel", "palm oil", "soybeans", "maize", "barley", "sunflower oil",
  "potash", "phosphates", "ammonia", "urea", "pesticides", "seeds", "beef", "pork", "poultry", "dairy products",
  "infant formula", "painkillers", "ventilators", "face masks", "test kits", "x-ray machines", "dialysis equipment", "syringes",
  "ball bearings", "hydraulic pumps", "diesel engines", "gearboxes", "railway wagons", "locomotives", "container cranes", "excavators",
  "night-vision goggles", "radar systems", "radio transceivers", "encryption software", "navigation modules", "thermal cameras",
  "printed circuit boards", "memory chips", "processors", "fibre-optic cable", "lasers", "robot arms", "3D printers",
  "luxury cars", "watches", "jewellery", "cigarettes", "alcohol", "textiles", "footwear", "furniture", "toys", "cosmetics",
  "scrap metal", "cement", "glass", "plastics", "rubber", "paper pulp", "wool", "leather", "diamonds", "gold bullion",
  "fishing rights", "airline slots", "port concessions", "mining licences", "arms contracts", "power plants", "pipelines",
  "electricity", "water rights", "spectrum licences", "banking services", "insurance cover", "shipping insurance", "tankers",
];

/** Companies named in the copy: generated names, each mentioned by only a few articles. */
const COMPANY_HEADS = ["Nova", "Kirov", "Dal", "Sino", "Trans", "Poly", "Vela", "Orion", "Baltic", "Ural", "Delta", "Terra", "Astra", "Zenit", "Kama", "Lumen", "Hexa", "Borea", "Pacif", "Meri"];
const COMPANY_TAILS = ["tek", "mash", "chem", "tron", "star", "flux", "gen", "lux", "port", "link", "metal", "rail", "aero", "vox", "net", "ship"];
const COMPANY_FORMS = ["Group", "Holdings", "Industries", "Trading", "Logistics", "Machinery"];
export const COMPANIES: string[] = COMPANY_HEADS.flatMap((head, i) =>
  COMPANY_TAILS.map((tail, j) => `${head}${tail} ${COMPANY_FORMS[(i + j) % COMPANY_FORMS.length]}`),
);

const QUANTITIES = [
  "about 90%", "nearly half", "two thirds", "more than 40%", "roughly a quarter", "at least 12 million tonnes",
  "$3.2 billion", "$740 million", "1.5 million units", "over 300 shipments", "about 18,000 tonnes", "twice as much",
];

const PERIODS = [
  "in 2023", "last year", "since 2022", "in the first quarter", "over the past decade", "in the past six months",
  "since the start of the war", "in 2021", "between 2019 and 2023", "this spring", "during the pandemic", "last month",
];

const ATTRIBUTIONS = [
  "senior officials said", "according to customs data", "the ministry said in a statement", "analysts said",
  "a spokesperson said", "according to documents seen by reporters", "diplomats said on condition of anonymity",
  "according to a leaked report", "industry groups said", "according to satellite images", "a parliamentary inquiry found",
  "according to the statistics office", "two people familiar with the matter said", "the company said",
];

const FILLER = [
  "The figures could not be independently verified.",
  "The claim was repeated at a press conference later that day.",
  "Officials did not respond to a request for comment.",
  "The report was circulated among members of parliament before its release.",
  "Independent economists have questioned the methodology behind the numbers.",
  "Opposition politicians called for an inquiry.",
  "The data cover only officially registered shipments.",
  "Trade through third countries is not included in the totals.",
  "Markets reacted calmly to the announcement.",
  "The ministry has revised similar figures twice in the past.",
  "Several shipping companies declined to comment.",
  "The embassy said the accusations were baseless.",
  "Satellite pictures taken last week show increased activity at the site.",
  "Neighbouring governments said they were monitoring the situation closely.",
  "The numbers were first published by a regional newspaper.",
];

const SOURCE_NAMES_PERSON_FIRST = ["Anna", "Jonas", "Li", "Olena", "Marek", "Aisha", "Carlos", "Yuki", "Fatima", "Pieter", "Sven", "Ines", "Ravi", "Tomas", "Leila", "Dmitri"];
const SOURCE_NAMES_PERSON_LAST = ["Kowalski", "Schneider", "Wang", "Shevchenko", "Novak", "Okafor", "Silva", "Tanaka", "Haddad", "de Vries", "Lindqvist", "Moreau", "Sharma", "Horvat", "Farouk", "Ivanov"];
const ORG_WORDS = ["Institute", "Council", "Foundation", "Group", "Agency", "Monitor", "Centre", "Observatory", "Association", "Network"];
const ORG_FIELDS = ["Trade", "Energy", "Security", "Health", "Shipping", "Agriculture", "Technology", "Human Rights", "Climate", "Defence"];

export interface ClaimText {
  /** The passage of the body the claim stands on. */
  quote: string;
  /** The whole body sentence containing the quote (quote + attribution). */
  sentence: string;
  /** The normalised claim. */
  statement: string;
  kind: "FACTUAL" | "QUANTITATIVE" | "ASSESSMENT" | "EVENT" | "PREDICTION" | "ATTRIBUTION";
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function claimText(rng: Rng): ClaimText {
  const country = rng.pick(COUNTRIES);
  const subject = rng.chance(0.5) ? country : `${capitalise(rng.pick(ACTORS))} of ${country}`;
  const topic = rng.pick(TOPICS);
  const period = rng.pick(PERIODS);
  const partner = rng.pick(COUNTRIES.filter((c) => c !== country));
  const attribution = rng.pick(ATTRIBUTIONS);
  const via = rng.chance(0.4) ? ` through ${rng.pick(COMPANIES)}` : "";
  const roll = rng.int(5);
  let core: string;
  let kind: ClaimText["kind"];
  if (roll === 0) {
    core = `${rng.pick(QUANTITIES)} of ${partner}'s ${topic} imports came from ${country} ${period}`;
    kind = "QUANTITATIVE";
  } else if (roll === 1) {
    core = `${subject} ${rng.pick(VERBS)} ${topic} to ${partner}${via} ${period}`;
    kind = "FACTUAL";
  } else if (roll === 2) {
    core = `${partner} would struggle to replace ${topic} from ${country} within two years`;
    kind = "ASSESSMENT";
  } else if (roll === 3) {
    core = `${subject} ${rng.pick(VERBS)} ${topic}${via} ${period}`;
    kind = "EVENT";
  } else {
    core = `${country} will ${rng.pick(["double", "halve", "end", "expand", "restart"])} its ${topic} trade with ${partner} by 2027`;
    kind = "PREDICTION";
  }
  const quote = capitalise(core);
  return {
    quote,
    sentence: `${quote}, ${attribution}.`,
    statement: `${quote}.`,
    kind,
  };
}

export function fillerSentence(rng: Rng): string {
  return rng.pick(FILLER);
}

export function headline(rng: Rng): string {
  const c = rng.pick(COUNTRIES);
  const topic = rng.pick(TOPICS);
  const templates = [
    `${c} ${rng.pick(["steps up", "quietly expands", "cuts back", "denies"])} ${topic} trade, officials say`,
    `How ${topic} from ${c} reach ${rng.pick(COUNTRIES)}`,
    `Fact check: what we know about ${c}'s ${topic} exports`,
    `${capitalise(topic)} shortage: ${c} blames ${rng.pick(COUNTRIES)}`,
    `Leaked report details ${c}'s ${topic} deals`,
  ];
  return rng.pick(templates);
}

export function personName(rng: Rng): string {
  return `${rng.pick(SOURCE_NAMES_PERSON_FIRST)} ${rng.pick(SOURCE_NAMES_PERSON_LAST)}`;
}

export function organisationName(rng: Rng): string {
  return `${rng.pick(ORG_FIELDS)} ${rng.pick(ORG_WORDS)} of ${rng.pick(COUNTRIES)}`;
}

export function paragraphText(rng: Rng, minLength: number, maxLength: number): string {
  let text = "";
  while (text.length < minLength) {
    const next = rng.chance(0.5) ? fillerSentence(rng) : claimText(rng).sentence;
    if (text.length + next.length + 1 > maxLength) break;
    text += (text ? " " : "") + next;
  }
  return text;
}
