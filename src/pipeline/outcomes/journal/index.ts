export { type ReplayJournalOptions, type ReplayResult, replayJournal } from './replay-journal.ts';
export { TrackingJournal, type TrackingJournalOptions } from './tracking-journal.ts';
