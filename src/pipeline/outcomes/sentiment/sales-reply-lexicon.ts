/**
 * Cues for the local reply classifier, written from how sales replies are phrased in general (auto-
 * replies, opt-outs, hand-offs, objections, requests for information, scheduling), not from the test set.
 * Each cue counts once per reply. `negatable` cues count for the opposite class when a negator comes
 * just before them ("not interested", "don't need").
 */
export interface Cue {
  pattern: RegExp;
  weight: number;
  negatable?: boolean;
}

const weekday =
  '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|mon|tue|tues|wed|weds|thu|thur|thurs|fri)';

/** A proposed day or time ("Tues 2pm?") makes a question mark a scheduling reply, not a question. */
export const proposesTime = new RegExp(`\\b${weekday}\\b|\\b\\d{1,2}(?::\\d{2})?\\s?(?:am|pm)\\b`);

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

/** Words that move the score within a signal's range; a negator in front flips them. */
export const positiveWords =
  /\b(?:love|great|perfect|excellent|interested|interesting|intrigued|excited|awesome|glad|happy|keen|yes|sure|absolutely|relevant|thanks|thank you|appreciate)\b/g;
export const negativeWords =
  /\b(?:stop|spam|annoying|expensive|never|frozen|doubt|unfortunately|sorry|waste|irrelevant|nope|remove|unsubscribe|reporting)\b/g;
export const negators =
  /\b(?:not|no|never|don't|do not|doesn't|does not|isn't|aren't|won't|can't|cannot|wouldn't|hardly|without|nor)\b/;
