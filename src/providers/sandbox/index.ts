export { findOutreachFacts, type OutreachFacts, writeOutreachEmail } from './outreach-writer.ts';
export { createSandboxProvider, type SandboxProviderOptions } from './sandbox-provider.ts';
