/**
 * Simulated leads and the prompt a campaign sends for each. Everything comes from the seeded
 * random source, so a seed always yields the same leads. The prompt carries the lead's name,
 * company and email (as an SDR tool would): the export must scrub them before training.
 */
import type { Random } from '../random.ts';

export interface Lead {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly company: string;
  readonly title: string;
  readonly industry: string;
  readonly signal: string;
  readonly pain: string;
}

/** Space-separated words; `phrases` splits on semicolons. */
const words = (text: string) => text.trim().split(/\s+/);
const phrases = (text: string) =>
  text
    .trim()
    .split(/\s*;\s*/)
    .map((phrase) => phrase.replace(/\s+/g, ' '));

const firstNames = words(`
  Ava Ben Chloe Daniel Elena Farid Grace Hiro Isla Jonas Kira Liam Maya Noah Olivia Priya
  Quinn Rosa Sam Tara Umar Vera Wes Xenia Yusuf Zoe Marco Nadia Oscar Lena
`);
const lastNames = words(`
  Adler Brooks Castillo Dubois Eriksen Fischer Garcia Hughes Ibrahim Jensen Kowalski Larsen
  Moreau Novak Okafor Patel Quint Rossi Schmidt Tanaka Ueda Varga Walsh Young Zimmer
`);
const companyFirst = words(`
  Blue Iron Clear North Bright Silver Rapid Green Summit Harbor Pixel Cedar Atlas Nova
  Copper
`);
const companySecond = words(`
  Peak Works Logic Stack Ledger Field Wave Forge Path Grid Loop
`);
const companySuffix = words(`
  Inc. GmbH Ltd Labs Systems Group
`);
const titles = phrases(`
  VP of Sales; Head of Revenue Operations; Sales Director; Chief Revenue Officer; Head of
  Growth; SDR Manager; VP of Marketing
`);
const industries = phrases(`
  SaaS; fintech; logistics; healthcare software; e-commerce; cybersecurity
`);
const signals = [
  'just raised a Series B',
  'is hiring four new SDRs',
  'opened a second office in Austin',
  'launched a self-serve plan',
  'expanded into the German market',
  'announced a new partner program',
  'doubled its sales team this year',
];
const pains = [
  'reps spending hours on manual research',
  'follow-ups that slip through the cracks',
  'forecasts nobody trusts',
  'pipeline reviews that eat Monday mornings',
  'slow ramp time for new reps',
  'leads going cold before first contact',
];

/** The `index`-th lead of the simulation (ids are stable: `lead-000042`). */
export function makeLead(random: Random, index: number): Lead {
  const firstName = random.pick(firstNames);
  const lastName = random.pick(lastNames);
  const brand = `${random.pick(companyFirst)}${random.pick(companySecond)}`;
  const company = `${brand} ${random.pick(companySuffix)}`;
  return {
    id: `lead-${String(index).padStart(6, '0')}`,
    firstName,
    lastName,
    email: `${firstName}.${lastName}@${brand}.example`.toLowerCase(),
    company,
    title: random.pick(titles),
    industry: random.pick(industries),
    signal: random.pick(signals),
    pain: random.pick(pains),
  };
}

/** What an SDR tool would send for this lead (the simulated model reads the same lines). */
export function campaignMessages(lead: Lead, campaign: string) {
  return [
    {
      role: 'system' as const,
      content:
        'You are an SDR at Northwind Analytics. Write a short, personal cold email that earns a reply. ' +
        'Put "Subject: …" on the first line.',
    },
    {
      role: 'user' as const,
      content: [
        `Lead: ${lead.firstName} ${lead.lastName}, ${lead.title} at ${lead.company} (${lead.industry}, ${lead.email})`,
        `Signal: ${lead.signal}.`,
        `Pain: ${lead.pain}.`,
        `Campaign: ${campaign}. Goal: a 20-minute call.`,
      ].join('\n'),
    },
  ];
}
