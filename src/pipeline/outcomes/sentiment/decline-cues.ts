import type { Cue } from './sales-reply-lexicon.ts';

/** Cues of replies that close the door: opt-outs, plain declines, and declines with a reason. */
export const unsubscribeCues: readonly Cue[] = [
  { pattern: /\bunsub\b/, weight: 3 },
  { pattern: /^\W*(?:please |pls )?stop\W*$/, weight: 3 },
  {
    pattern:
      /\b(?:don't|do not|never) (?:contact|e-?mail|message|text) (?:this|my) (?:address|e-?mail|number|inbox)\b/,
    weight: 3,
  },
  {
    pattern:
      /\b(?:want|get me|take me) out of (?:this|your|these) (?:sequence|list|e-?mails?|campaign|mailing)/,
    weight: 3,
  },
  { pattern: /(?:^|[.!]\s*)stop[.!]*$/, weight: 3 },
  { pattern: /\bunsubscribe\b/, weight: 3 },
  { pattern: /\bopt(?:-| )?(?:me )?out\b/, weight: 3 },
  { pattern: /\bremove (?:me|my|us|this (?:e-?mail|address))\b|\bbe removed\b/, weight: 3 },
  {
    pattern: /\btake (?:me|us) off\b|\boff (?:your|the|this) (?:mailing |e-?mail |contact )?list\b/,
    weight: 3,
  },
  {
    pattern: /\bstop (?:e-?mailing|contacting|sending|messaging|spamming|writing|reaching out)\b/,
    weight: 3,
  },
  {
    pattern:
      /\b(?:don't|do not|never) (?:contact|e-?mail|message|write to|reach out to|call) (?:me|us)\b/,
    weight: 3,
  },
  { pattern: /\bdelete (?:my|our) (?:information|data|details|e-?mail|contact)/, weight: 3 },
  { pattern: /^\W*stop\W*$/, weight: 3 },
  {
    pattern: /\b(?:report|reporting|mark|marking|flag|flagging) (?:this|you|it) as spam\b/,
    weight: 2,
  },
  {
    pattern: /\bnever signed up\b|\bhow did you get (?:my|this) (?:e-?mail|address|info)/,
    weight: 1.5,
  },
];

export const notInterestedCues: readonly Cue[] = [
  { pattern: /\bno (?:interest|need)\b/, weight: 2.5 },
  {
    pattern:
      /\b(?:we're|we are|i'm|i am) (?:good|all set|set|fine|covered|sorted)\b(?! (?:to|for|with|on (?:monday|tuesday|wednesday|thursday|friday)))/,
    weight: 2,
  },
  { pattern: /\b(?:don't|do not|no need to) bother\b/, weight: 2 },
  {
    pattern:
      /\b(?:won't|will not|aren't|are not) (?:be )?(?:buying|purchasing|going to buy|signing up)\b/,
    weight: 2.5,
  },
  { pattern: /\bno,? thanks?(?: you)?\b|\bthanks,? but no\b|\bno thank you\b/, weight: 2.5 },
  {
    pattern: /\b(?:not|isn't|is not|wouldn't be|won't be) (?:a )?(?:good |great |right )?fit\b/,
    weight: 2.5,
  },
  { pattern: /\b(?:doesn't|does not|don't|do not|wouldn't|won't) fit\b/, weight: 2 },
  {
    pattern:
      /\b(?:don't|do not|won't|wouldn't) (?:really )?(?:need|want|require)\b|\bno (?:use|need) for\b/,
    weight: 2,
  },
  { pattern: /\b(?:don't|do not) have (?:a|any) (?:use|need)\b/, weight: 2 },
  {
    pattern: /\b(?:not|isn't|is not) (?:something|for us|for me|a priority|what we need)\b/,
    weight: 2,
  },
  { pattern: /\bnot (?:looking|in the market|pursuing)\b/, weight: 2 },
  {
    pattern: /\b(?:i'll|i will|we'll|we will|going to|gonna|have to|will have to) pass\b/,
    weight: 2.5,
  },
  {
    pattern: /\bdecided (?:not|against)\b|\bnot (?:moving|going|to move|to go) forward\b/,
    weight: 2.5,
  },
  { pattern: /^(?:no|nope|nah)\b/, weight: 2 },
  { pattern: /\b(?:nope|nah)\b/, weight: 1.5 },
  {
    pattern:
      /\b(?:don't|do not|can't|cannot) see (?:us|this|a|any)\b[^.]{0,30}\b(?:need\w*|fit\w*|use\w*)/,
    weight: 1.5,
  },
];

export const objectionCues: readonly Cue[] = [
  {
    pattern: /\b(?:renewed|re-signed|signed|committed|switched|moved) (?:with|to|on)\b/,
    weight: 2,
  },
  { pattern: /\b(?:pricey|pricy|steep|overpriced)\b|\bcompared (?:to|with)\b/, weight: 2 },
  {
    pattern: /\b(?:hate|resist\w*|pushback|push back|nightmare|adoption|change management)\b/,
    weight: 1.5,
  },
  {
    pattern:
      /\b(?:dpa|security (?:questionnaire|review|assessment)|procurement process|legal (?:review|will))\b/,
    weight: 2,
  },
  { pattern: /\b(?:hold(?:ing)? off|on hold|paus(?:e|ed|ing))\b/, weight: 2 },
  {
    pattern:
      /\buntil (?:the )?(?:spring|summer|fall|autumn|winter|new year|end of (?:the )?(?:year|quarter)|q[1-4])\b/,
    weight: 1.5,
  },
  {
    pattern:
      /\bcan't justify\b|\b(?:cost|price|pricing|budget) is (?:the|an|a|our) (?:issue|problem|concern|blocker)\b/,
    weight: 2.5,
  },
  {
    pattern:
      /\b(?:don't|do not) think (?:you|it|this|your \w+) (?:support|integrat\w*|work|would work|fit)/,
    weight: 2,
  },
  { pattern: /\b(?:would|we'd|we would) need (?:it|this|you) to\b/, weight: 1.5 },
  {
    pattern:
      /\b(?:looked at|tested|evaluated|used|trialed|trialled) (?:\w+ ){0,3}(?:before|in the past|previously|last year)\b/,
    weight: 2,
  },
  { pattern: /\b(?:robotic|generic|spammy|salesy|canned)\b/, weight: 1.5 },
  {
    pattern: /\balready (?:use|using|have|work with|working with|signed|pay|paying|got|bought)\b/,
    weight: 2.5,
  },
  {
    pattern: /\b(?:too|very|quite|really|pretty|way too|a bit) (?:expensive|pricey|costly|much)\b/,
    weight: 2.5,
  },
  {
    pattern:
      /\b(?:price|pricing|cost|quote|rate)\w*\b[^.?!]{0,30}\b(?:high|above|steep|more than|too much|out of)\b/,
    weight: 2,
  },
  { pattern: /\bbudget\b|\bcan't afford\b|\bcannot afford\b/, weight: 2 },
  {
    pattern: /\bnot (?:right )?now\b|\bnot at the moment\b|\bnot this (?:quarter|year)\b/,
    weight: 2,
  },
  {
    pattern:
      /\b(?:timing|time) (?:isn't|is not|'s not|is not) (?:great|good|right|ideal)\b|\bbad timing\b/,
    weight: 2.5,
  },
  { pattern: /\b(?:circle|check|come) back\b/, weight: 1.5 },
  {
    pattern:
      /\b(?:next|following) (?:quarter|year|month)\b|\bin (?:a few|six|two|three|\d+) months\b|\blater this year\b/,
    weight: 1,
  },
  {
    pattern: /\bcontract\b|\blocked (?:in|into)\b|\btied (?:in|into|to)\b|\bcommitted to\b/,
    weight: 2,
  },
  {
    pattern: /\bin-house\b|\bin house\b|\bbuilt (?:our own|something|it ourselves|a tool)\b/,
    weight: 2.5,
  },
  { pattern: /\bcompetitors?\b|\b(?:better|cheaper) (?:deal|offer|price|option)\b/, weight: 2 },
  { pattern: /\b(?:never|wouldn't|won't|not) (?:approve|sign off|allow)\b/, weight: 2 },
  {
    pattern: /\b(?:security|legal|compliance|procurement|it) (?:team|department|review|policy)\b/,
    weight: 1,
  },
  { pattern: /\bbandwidth\b|\bcapacity\b|\bheadcount\b/, weight: 2 },
  { pattern: /\btried (?:a|an|something|this|that|similar|one of|it|them)\b/, weight: 2 },
  { pattern: /\b(?:doubt|not sure|skeptical|sceptical|not convinced)\b/, weight: 1.5 },
  { pattern: /\b(?:reorg|re-org|restructur\w*|freeze|frozen|layoffs?)\b/, weight: 2 },
  {
    pattern: /\b(?:happy|satisfied|fine) with (?:our|what|the|it|them|our current)\b/,
    weight: 1.5,
  },
  { pattern: /\bwhat makes (?:you|yours|this|your \w+) (?:different|better)\b/, weight: 1.5 },
];
