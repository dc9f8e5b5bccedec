/**
 * What simulated prospects answer. The gateway classifies each reply itself (the tracking API
 * runs the sentiment analyzer when no score is sent), so these are plain texts in three moods;
 * `test/integration/demo/reply-texts.test.ts` checks the local classifier reads each as meant.
 */
export type ReplyMood = 'positive' | 'neutral' | 'negative';

export const replyTexts: Readonly<Record<ReplyMood, readonly string[]>> = {
  positive: [
    'Thanks for reaching out, this is timely. Happy to chat, does Thursday at 2pm work?',
    'Interesting, we are looking at exactly this. Send me an invite for next week.',
    'Yes, let us talk. I am free Tuesday morning.',
    'Good timing, we were just discussing this. Can you do a quick call on Wednesday?',
    'Sounds great, I would love to see a demo. Book a slot for us next week.',
    'I am interested. Please send over some times for a call.',
  ],
  neutral: [
    'Can you send me more information first? Pricing would help.',
    'What does this cost for a team of ten?',
    'Maybe later in the quarter. Can you share a case study in the meantime?',
    'I am not the right person, but I have forwarded this to our head of sales ops.',
    'How is this different from the tool we already use?',
  ],
  negative: [
    'Not interested, please remove me from your list.',
    'No thanks, we are not looking for anything like this.',
    'Please stop emailing me.',
    'Thanks, but this is not a fit for us. Not interested.',
    'Unsubscribe me please.',
  ],
};
