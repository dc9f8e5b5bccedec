export { replayJournal } from './replay-journal.ts';
export { TrackingJournal } from './tracking-journal.ts';
