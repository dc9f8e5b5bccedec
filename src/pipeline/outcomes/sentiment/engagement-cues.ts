import { type Cue, weekday } from './sales-reply-lexicon.ts';

/** Cues of replies that keep the conversation going (or pause it): auto-replies, hand-offs, interest, questions. */
export const outOfOfficeCues: readonly Cue[] = [
  { pattern: /\bout (?:until|till|through|thru)\b/, weight: 3 },
  {
    pattern:
      /\bchecking e-?mail (?:rarely|sporadically|occasionally|intermittently|infrequently)\b/,
    weight: 2.5,
  },
  { pattern: /\b(?:slower|delayed|slow|late) (?:replies|responses|response|reply)\b/, weight: 2 },
  {
    pattern:
      /\b(?:have |has )?left (?:the|this) (?:company|organization|organisation|firm|business)\b/,
    weight: 3,
  },
  { pattern: /\bout of (?:the )?office\b|\booo\b/, weight: 3 },
  { pattern: /\bauto(?:matic|mated)?[- ]?(?:reply|response|responder)\b/, weight: 3 },
  {
    pattern:
      /\bon (?:annual |parental |maternity |paternity |sick |medical |extended |vacation )?leave\b/,
    weight: 3,
  },
  { pattern: /\bon (?:vacation|holidays?|pto|sabbatical|a business trip)\b/, weight: 3 },
  { pattern: /\bcurrently (?:away|out|traveling|travelling|on the road|unavailable)\b/, weight: 3 },
  {
    pattern:
      /\b(?:limited|no|without|intermittent) (?:access to (?:my )?e-?mail|connectivity|e-?mail access)\b/,
    weight: 2.5,
  },
  { pattern: /\boffices? (?:are|is|will be) closed\b/, weight: 3 },
  { pattern: /\bno longer (?:work|with|at|employed)\b/, weight: 3 },
  { pattern: /\bmailbox is (?:not|no longer) (?:monitored|checked|active)\b/, weight: 3 },
  { pattern: /\bout sick\b|\baway (?:at|from|until|on|through)\b/, weight: 2 },
  { pattern: /\b(?:responses?|replies|reply) (?:will|may|might) be delayed\b/, weight: 2 },
  {
    pattern:
      /\b(?:i will|i'll|i will be|i'll be) (?:back|return|returning)\b|\breturn(?:ing)? on\b/,
    weight: 1.5,
  },
  { pattern: /\bback (?:on|in) (?:the )?\d|\buntil (?:the )?\d/, weight: 1 },
];

export const referralCues: readonly Cue[] = [
  {
    pattern:
      /\b(?:our|my) (?:\w+ ){0,2}(?:director|head|lead|manager|vp|founder|co-founder|cto|ceo|cmo|cro|coo|owner)\b/,
    weight: 1.5,
  },
  { pattern: /\bdecision[- ]?maker\b/, weight: 2 },
  { pattern: /\bpass(?:ing)? (?:this|it|your \w+) (?:along|on)\b/, weight: 2.5 },
  { pattern: /\bwhoever (?:runs|handles|owns|manages|leads)\b/, weight: 2.5 },
  { pattern: /^(?:talk to|speak (?:to|with)|try|ask|contact)\b/, weight: 2 },
  {
    pattern:
      /\b(?:handed|passed|sent|forwarded) (?:this|it|your (?:note|e-?mail|message)) (?:over |on |along )?to\b/,
    weight: 2.5,
  },
  { pattern: /\b(?:sits?|lies|rests?) with\b|\bdecisions? (?:are|is) (?:made )?by\b/, weight: 2 },
  { pattern: /\byou (?:want|need|should try) (?:our|my)\b/, weight: 2.5 },
  { pattern: /\b(?:they|he|she)'ll (?:be in touch|reach out|get back to you)\b/, weight: 1 },
  { pattern: /[\w.+-]+@[\w-]+\.[\w.]+/, weight: 1 },
  {
    pattern:
      /\b(?:you should|you'd want to|you may want to|you might want to|better to|best to|try|please) (?:talk|speak|reach(?:ing)? out|contact|connect|e-?mail|get(?:ting)? in touch)/,
    weight: 2,
  },
  {
    pattern: /\b(?:not|isn't|i'm not) the (?:right|best|correct) (?:person|contact|one)\b/,
    weight: 3,
  },
  { pattern: /\bwrong (?:person|contact|guy|team)\b/, weight: 3 },
  { pattern: /\b(?:right|best|better) (?:person|contact|fit) (?:for|to|would be|is)\b/, weight: 2 },
  {
    pattern:
      /\b(?:forwarded|forwarding|passed (?:this|it|your \w+) (?:on|along)|passing (?:this|it) (?:on|along)|cc'?d|cc'?ing|copying|copied)\b/,
    weight: 2.5,
  },
  { pattern: /\bloop(?:ed|ing)? (?:him|her|them) in\b|\blooping in\b/, weight: 2.5 },
  { pattern: /\badding (?:\w+ ){0,2}(?:from|on|in|here|to this)\b/, weight: 2.5 },
  {
    pattern:
      /\b(?:contact|reach out to|talk to|speak (?:to|with)|e-?mail|ping) (?:our|my) (?:\w+ ){0,3}(?:head|vp|director|manager|lead|team|colleague|cto|ceo|cfo|cmo|coo|cro|founder|owner|department)\b/,
    weight: 2.5,
  },
  {
    pattern:
      /\b(?:owns|handles|runs|manages|took over|is responsible for|is in charge of|makes (?:these|the|those) decisions|(?:would|will) be the one)\b/,
    weight: 1.5,
  },
  { pattern: /\bconnect you with\b|\bintroduce you to\b|\bput you in touch\b/, weight: 3 },
  { pattern: /\bnot my (?:area|department|call|decision|responsibility|remit)\b/, weight: 2.5 },
  { pattern: /\breach out to (?:him|her|them)\b/, weight: 2 },
  { pattern: /\binstead\b/, weight: 0.5 },
];

export const interestCues: readonly Cue[] = [
  { pattern: /\b(?:good|best|convenient) time\b|\bon the books\b|\bmake it work\b/, weight: 1.5 },
  {
    pattern: /\bworth (?:a|the) (?:conversation|call|chat|look|meeting)\b/,
    weight: 2,
    negatable: true,
  },
  { pattern: /\bcan you do\b|\bon the call\b/, weight: 1 },
  {
    pattern: /\b(?:can|could|shall) we (?:meet|talk|chat|speak|connect|schedule|set|find|do|hop)\b/,
    weight: 2,
  },
  {
    pattern:
      /\bwhen (?:are|would|will) you (?:be )?(?:around|free|available)\b|\bwhen works\b|\bwhat times? works?\b/,
    weight: 2,
  },
  { pattern: /\bexactly what (?:we|i) (?:need|want|were looking)/, weight: 2, negatable: true },
  {
    pattern:
      /\b(?:set up|setup|schedule|book|arrange|hop on|jump on|grab|find)\b[^.?!]{0,25}\b(?:call|chat|meeting|time|demo|slot|minutes|mins?)\b/,
    weight: 2,
  },
  {
    pattern:
      /\blet'?s (?:talk|chat|connect|meet|speak|do (?:it|this)|set|schedule|find|get|book)\b/,
    weight: 2,
  },
  { pattern: /\b(?:calendar|calendly|invite|availability)\b/, weight: 1.5, negatable: true },
  {
    pattern:
      /\b(?:free|available)\b[^.?!]{0,20}\b(?:on|at|next|this|tomorrow|most|any|mornings?|afternoons?)\b/,
    weight: 1.5,
    negatable: true,
  },
  { pattern: new RegExp(`\\b${weekday}\\b|\\b(?:next|this) week\\b`), weight: 1 },
  { pattern: /\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b/, weight: 1 },
  { pattern: /\b(?:do you have|got) (?:time|a minute|a few minutes|\d+ min)/, weight: 2 },
  {
    pattern: /\b(?:quick|short|brief|\d+[- ]?min(?:ute)?s?)\s+(?:call|chat|meeting|demo|intro)\b/,
    weight: 1.5,
  },
  {
    pattern:
      /\b(?:love|like|keen|happy|glad|eager|open|excited)\b (?:to|in) (?:see|learn|hear|chat|talk|connect|explore|discuss|speak|meet|take a look|a demo|a call|more)\b/,
    weight: 2,
    negatable: true,
  },
  { pattern: /\b(?:interested|intrigued|curious to)\b/, weight: 1.5, negatable: true },
  { pattern: /\bdemo\b/, weight: 1 },
  {
    pattern: /\b(?:sounds|looks) (?:good|great|interesting|promising|relevant|perfect)\b/,
    weight: 1.5,
    negatable: true,
  },
  {
    pattern:
      /\b(?:count me in|works for me|(?:you've |you have |you )?got my attention|tell me more|i'm in|sign me up|let's do it)\b/,
    weight: 2,
  },
  { pattern: /\b(?:send|share)\b[^.?!]{0,15}\b(?:times|slots|availability|invite)\b/, weight: 2 },
  {
    pattern: /\b(?:good|great|perfect) timing\b|\b(?:relevant|timely)\b/,
    weight: 1,
    negatable: true,
  },
  {
    pattern:
      /\b(?:been looking for|looking for (?:something|a solution|exactly)|need(?:ed)? something like)\b/,
    weight: 1,
    negatable: true,
  },
  { pattern: /\b(?:walk (?:me|us)(?: \w+){0,3} through|show (?:me|us))\b/, weight: 1.5 },
  { pattern: /^(?:yes|sure|absolutely|definitely|of course|yep|yeah)\b/, weight: 1 },
  { pattern: /\b(?:talk|speak|see you) then\b|\bis perfect\b/, weight: 1 },
];

export const questionCues: readonly Cue[] = [
  {
    pattern:
      /(?:^|[.!?]\s+)(?:how|what|what's|does|do|is|are|can|could|would|will|where|who|which|when|why)\b/,
    weight: 1,
  },
  {
    pattern:
      /\b(?:quick question|wondering|curious (?:if|whether|about)|can you (?:send|share|tell|explain)|could you (?:send|share|tell|explain)|do you (?:support|have|offer|integrate|work with)|is there)\b/,
    weight: 1.5,
  },
  {
    pattern:
      /\b(?:pricing|price|cost|how much|integrat\w*|trial|case stud\w+|sso|gdpr|soc ?2|onboarding|hosted|results|references?)\b/,
    weight: 0.5,
  },
];
