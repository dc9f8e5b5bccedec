/**
 * Shared pieces of the local reply classifier's cues (decline-cues.ts, engagement-cues.ts): phrase
 * families of sales replies (auto-replies, opt-outs, hand-offs, objections, questions, scheduling).
 * docs/webhooks.md says how they were measured on replies written after the rules. Each cue counts once
 * per reply. `negatable` cues count for the opposite class when a negator comes
 * just before them ("not interested", "don't need").
 */
export interface Cue {
  pattern: RegExp;
  weight: number;
  negatable?: boolean;
}

export const weekday =
  '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|mon|tue|tues|wed|weds|thu|thur|thurs|fri)';

/** A proposed day or time ("Tues 2pm?") makes a question mark a scheduling reply, not a question. */
export const proposesTime = new RegExp(`\\b${weekday}\\b|\\b\\d{1,2}(?::\\d{2})?\\s?(?:am|pm)\\b`);

/** Words that move the score within a signal's range; a negator in front flips them. */
export const positiveWords =
  /\b(?:love|great|perfect|excellent|interested|interesting|intrigued|excited|awesome|glad|happy|keen|yes|sure|absolutely|relevant|thanks|thank you|appreciate)\b/g;
export const negativeWords =
  /\b(?:stop|spam|annoying|expensive|never|frozen|doubt|unfortunately|sorry|waste|irrelevant|nope|remove|unsubscribe|reporting)\b/g;
export const negators =
  /\b(?:not|no|never|don't|do not|doesn't|does not|isn't|aren't|won't|can't|cannot|wouldn't|hardly|without|nor)\b/;
