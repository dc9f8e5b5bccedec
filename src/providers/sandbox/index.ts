export { findOutreachFacts } from './outreach-facts.ts';
export { type WritingStyle, writeOutreachEmail } from './outreach-writer.ts';
export { createSandboxProvider } from './sandbox-provider.ts';
export { fnv1a, mulberry32 } from './seeded-random.ts';
