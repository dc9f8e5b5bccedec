import { describe, expect, it } from 'vitest';
import { replyTexts } from '../../../src/cli/demo/audience/reply-texts.ts';
import { classifyReplyLocally } from '../../../src/pipeline/outcomes/sentiment/index.ts';

/**
 * The demo's prospects send plain reply texts and the gateway classifies them (no score is sent),
 * so the negative-sentiment guardrail sees what the audience meant only if the local classifier
 * reads each text in its intended mood.
 */
describe('demo reply texts', () => {
  for (const [mood, texts] of Object.entries(replyTexts)) {
    it(`the local classifier reads every ${mood} reply as ${mood}`, () => {
      expect(texts.length).toBeGreaterThanOrEqual(5);
      expect(texts.map((text) => [text, classifyReplyLocally(text).sentiment_label])).toEqual(
        texts.map((text) => [text, mood]),
      );
    });
  }
});
