/**
 * What the simulated models write. The text depends on the model, so the report can show how a
 * version writes: the base model a long, generic email; a fine-tuned OpenAI model (`ft:…`) a short
 * one built on the lead's signal and pain; a fine-tuned Together model a question-led one. The same
 * prompt and model always give the same email (a hash picks the phrasing). Fine-tuned styles are
 * shorter, which matters: they cost more per token.
 */
import { createRandom, hashText, type Random } from '../random.ts';

export type WritingStyle = 'generic' | 'concise' | 'question';

/** The lead as the campaign's prompt describes it (see ../audience/campaign-prompt.ts). */
interface PromptFacts {
  firstName: string;
  company: string;
  title: string;
  industry: string;
  signal: string;
  pain: string;
}

export function writingStyleOf(model: string): WritingStyle {
  if (model.startsWith('ft:')) {
    return 'concise';
  }
  return model.includes('/') && model.includes('rekindle') ? 'question' : 'generic';
}

export function writeOutreach(model: string, promptText: string): string {
  const random = createRandom(hashText(`${model}\n${promptText}`));
  const facts = readFacts(promptText);
  switch (writingStyleOf(model)) {
    case 'concise':
      return concise(facts, random);
    case 'question':
      return question(facts, random);
    default:
      return generic(facts, random);
  }
}

function readFacts(text: string): PromptFacts {
  const lead = /Lead:\s*(\S+)[^,\n]*,\s*([^\n]+?)\s+at\s+([^\n(]+?)\s*\(([^,)\n]+)/.exec(text);
  return {
    firstName: lead?.[1] ?? 'there',
    title: lead?.[2] ?? 'a leader',
    company: lead?.[3] ?? 'your company',
    industry: lead?.[4] ?? 'growing',
    signal: /Signal:\s*([^\n.]+)/.exec(text)?.[1] ?? 'is growing fast',
    pain: /Pain:\s*([^\n.]+)/.exec(text)?.[1] ?? 'too much manual work',
  };
}

const genericSubjects = [
  'Quick question about {company}',
  'Helping {company} grow',
  'Partnership opportunity for {company}',
  'An idea for the {company} team',
];
const genericValue = [
  'We help companies streamline their sales process and drive more revenue with less effort.',
  'Our platform gives revenue teams the insights they need to work smarter, not harder.',
  'We provide an all-in-one solution that helps teams save time and close more deals.',
];
const genericProof = [
  'Many of our customers have seen significant improvements in productivity and results.',
  'Companies of all sizes trust us to help them hit their targets quarter after quarter.',
  'Our customers consistently tell us that we have transformed the way their teams operate.',
];
const days = ['Tuesday', 'Wednesday', 'Thursday'];
const peers = ['Brightline', 'Fathom Labs', 'Cobalt Health', 'Mosaic Freight', 'Lumen Retail'];

function generic(facts: PromptFacts, random: Random): string {
  return [
    `Subject: ${fill(random.pick(genericSubjects), facts)}`,
    '',
    `Hi ${facts.firstName},`,
    '',
    `I hope this email finds you well. My name is Jordan and I work with ${facts.industry} companies like ${facts.company} to improve how their teams work. ${random.pick(genericValue)} ${random.pick(genericProof)}`,
    '',
    `I would love to learn more about your priorities as ${facts.title} and share how we might be able to help ${facts.company} reach its goals this year.`,
    '',
    'Would you be open to a 20-minute call next week?',
    '',
    'Best regards,',
    'Jordan',
    'Northwind Analytics',
  ].join('\n');
}

function concise(facts: PromptFacts, random: Random): string {
  return [
    `Subject: ${facts.company} and ${facts.pain}`,
    '',
    `${facts.firstName}, saw that ${facts.company} ${facts.signal}. In ${facts.industry}, ${facts.pain} usually follows; ${random.pick(peers)} cut it in half within a quarter.`,
    '',
    `Worth 20 minutes on ${random.pick(days)} to see if the same works at ${facts.company}?`,
    '',
    'Jordan',
  ].join('\n');
}

function question(facts: PromptFacts, random: Random): string {
  return [
    `Subject: ${capitalize(facts.pain)}?`,
    '',
    `Hi ${facts.firstName}, quick one: now that ${facts.company} ${facts.signal}, is ${facts.pain} on your list this quarter?`,
    '',
    `If so, I can show you in 20 minutes how ${random.pick(peers)} handled it. Does ${random.pick(days)} work?`,
    '',
    'Jordan',
  ].join('\n');
}

function fill(template: string, facts: PromptFacts): string {
  return template.replaceAll('{company}', facts.company);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
