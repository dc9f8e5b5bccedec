/**
 * The sandbox's "model": deterministic outreach-style email text built from the prompt. A hash of the
 * prompt seeds the choice of subject, opener, value line, proof, call to action and sign-off, and
 * names, companies and roles found in the prompt fill the blanks — so the same prompt always gives
 * the same email, different leads get different ones, and nothing needs a network or a GPU.
 *
 * Besides that `generic` email it writes two shorter styles, which the demo's simulated vendors give
 * their fine-tuned models so a report can tell versions apart: `concise` (built on the lead's
 * signal and pain) and `question` (opens with a question about the pain).
 */
import type { OutreachFacts } from './outreach-facts.ts';
import { fnv1a, mulberry32 } from './seeded-random.ts';

export type WritingStyle = 'generic' | 'concise' | 'question';

const subjects = [
  'Quick idea for {company}',
  '{first}, a thought on {company}’s pipeline',
  'Worth a look, {first}?',
  'Helping {company} book more meetings',
  'A question about outbound at {company}',
  'Re: growth plans at {company}',
];
const openers = [
  'I noticed {company} has been growing its team, and as {role} you are probably feeling the pressure on pipeline.',
  'I have been following what {company} is building and wanted to reach out directly.',
  'Congrats on the recent momentum at {company} — it caught my eye.',
  'Teams like {company} often tell us their outreach takes too much manual work.',
  'As {role} at {company}, you likely juggle more campaigns than there are hours in the week.',
  'I will keep this short, {first}, because I know your inbox is busy.',
];
const valueLines = [
  'We help revenue teams write personalised outreach that gets replies, without adding headcount.',
  'Our customers typically see reply rates climb within the first month of switching.',
  'We learn from every reply and meeting, so the messages you send keep getting better.',
  'We turn your best-performing emails into a playbook the whole team can use.',
  'We make it easy to test new angles safely and keep only what actually books meetings.',
  'We connect outreach to real outcomes — replies, meetings and closed deals — not just opens.',
];
const proofLines = [
  'A team similar to yours doubled its meetings booked in one quarter.',
  'One of our customers cut the time spent writing sequences by more than half.',
  'Most teams are live within a week, with no change to their CRM.',
  'Sales leaders tell us the biggest win is finally knowing which messages work.',
  'It fits into the tools your reps already use every day.',
];
const callsToAction = [
  'Would a 15-minute call next week be useful?',
  'Open to a quick chat on Tuesday or Wednesday?',
  'Is this worth a short conversation, {first}?',
  'If I sent over a two-minute video, would you take a look?',
  'Who would be the right person at {company} to talk to about this?',
  'Would it make sense to compare notes for 20 minutes?',
];
const signOffs = ['Best,', 'Thanks,', 'Cheers,', 'Kind regards,'];
const peers = ['Brightline', 'Fathom Labs', 'Cobalt Health', 'Mosaic Freight', 'Lumen Retail'];
const days = ['Tuesday', 'Wednesday', 'Thursday'];

export function writeOutreachEmail(
  promptText: string,
  facts: OutreachFacts,
  style: WritingStyle = 'generic',
): string {
  const random = mulberry32(fnv1a(promptText));
  const pick = (options: readonly string[]) =>
    options[Math.floor(random() * options.length)] ?? options[0] ?? '';
  const first = facts.firstName ?? 'there';
  const company = facts.company ?? 'your company';
  const sender = facts.sender ?? 'Alex';
  if (style !== 'generic') {
    return shortEmail(style, { first, company, sender, facts }, pick);
  }
  const fill = (template: string) =>
    template
      .replaceAll('{first}', first)
      .replaceAll('{company}', company)
      .replaceAll('{role}', facts.role ?? 'a leader');
  const subject = fill(pick(subjects));
  const greeting = `Hi ${first},`;
  const body = [fill(pick(openers)), fill(pick(valueLines))].join(' ');
  const proof = fill(pick(proofLines));
  const callToAction = fill(pick(callsToAction));
  const signOff = `${pick(signOffs)}\n${sender}`;
  return `Subject: ${subject}\n\n${greeting}\n\n${body}\n\n${proof}\n\n${callToAction}\n\n${signOff}`;
}

/** The fine-tuned styles: a few lines on the lead's signal and pain. */
function shortEmail(
  style: Exclude<WritingStyle, 'generic'>,
  lead: { first: string; company: string; sender: string; facts: OutreachFacts },
  pick: (options: readonly string[]) => string,
): string {
  const { first, company, sender } = lead;
  const signal = lead.facts.signal ?? 'is growing fast';
  const pain = lead.facts.pain ?? 'too much manual work';
  const peer = pick(peers);
  const day = pick(days);
  const lines =
    style === 'concise'
      ? [
          `Subject: ${company} and ${pain}`,
          `${first}, saw that ${company} ${signal}. Teams at that stage usually run into ${pain}; ${peer} cut it in half within a quarter.`,
          `Worth 20 minutes on ${day} to see if the same works at ${company}?`,
        ]
      : [
          `Subject: ${pain.charAt(0).toUpperCase()}${pain.slice(1)}?`,
          `Hi ${first}, quick one: now that ${company} ${signal}, is ${pain} on your list this quarter?`,
          `If so, I can show you in 20 minutes how ${peer} handled it. Does ${day} work?`,
        ];
  return [...lines, sender].join('\n\n');
}
