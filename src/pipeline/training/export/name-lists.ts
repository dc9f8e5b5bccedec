/**
 * Word lists of the name finder (`find-names.ts`). They are small on purpose: the finder works
 * mostly from positions (greetings, sign-offs, "at <Company>"), and the lists only settle whether
 * a capitalised word there, or elsewhere, is a name.
 */

/** Common given names (US, UK, India, China, Latin America, Africa, Europe); lower case. */
export const firstNames: ReadonlySet<string> = new Set(
  `aaliyah aaron abdul abigail adaeze adam adebayo aditi aditya adrian ahmed aiko aisha akira alan
  alejandro alex alexander alexandra alexis ali alice alicia alisha alma amanda amara amelia amina
  amir amit amy ana anand andre andrea andrew andy angela anil anita ann anna anne anthony antonio
  anya arjun arthur asha ashley audrey ava ayesha barbara beatriz ben benjamin beth bianca blake
  bo brandon brenda brian brittany bruno bryan caleb camila carla carlos carmen carol caroline
  catherine chen chidi chinonso chloe chris christina christine christopher chuck cindy claire
  clara colin connor craig cristina dai daniel daniela danielle dana daniyar darius david deborah
  deepak deepika denise derek devon diana diego dmitri dominic donna dylan elena eli elif elijah
  elizabeth ella ellen emeka emily emma enrique eric erica erin esther ethan eva evelyn fatima
  felipe fernando fiona francesca francisco frank gabriel gabriela gary george giulia grace greg
  gregory hana hannah harper harry hassan heather hector helen henry hiroshi hugo ian ibrahim
  ingrid irene isaac isabel isabella ivan jacob jake james jamie jan jane janet jason javier jay
  jeff jennifer jenny jeremy jessica jin jing joan joanna joe john jonathan jordan jorge jose
  joseph joshua juan julia julian justin kamal karen karim kate katherine kathryn katie kavya
  kayla keith kelly ken kenji kevin kim kimberly kofi kwame kyle laila lara laura lauren leah lee
  leila lena leo li liam lily linda lisa liu lucas lucia luis luke madison maria mariana marie
  marina mario marta martin mary mateo matthew maya megan mei melissa mia michael michelle miguel
  mike min mohammed monica morgan nadia naomi natalia natalie nathan neha nicholas nicole nikhil
  nina noah nora oliver olivia omar oscar pablo pamela paolo patricia paul paula pedro peter
  pooja priya rachel rahul raj rajesh ramon raquel rebecca ricardo richard riley rita robert
  roberto rohan ryan sam samantha samir samuel sandra sanjay sara sarah scott sean sebastian sergei
  shreya simon sofia sophia sophie stephanie stephen steve steven sun sunil susan takeshi tamara
  tanya taylor teresa thomas tiffany tim timothy tom tomas tyler valentina vanessa victor victoria
  vikram vivek wei william xavier xin yan yara yusuf yuki zainab zara zoe zhang`.split(/\s+/),
);

/** Given names that are also ordinary words: a name only where the position says so. */
export const ambiguousFirstNames: ReadonlySet<string> = new Set(
  `april august bill chase drew faith grant hope jack joy june mark max may page pat rich rose
  sky summer sunny will`.split(/\s+/),
);

/** Words that open a greeting line: the capitalised words after them are the recipient. */
export const greetingWords =
  /^(?:hi|hello|hey|dear|hiya|howdy|greetings|good (?:morning|afternoon|evening)|morning|afternoon)$/i;

/** Closing phrases; the line after them (or the rest of their line) signs the message. */
export const signOffPattern =
  /^(?:best|best regards|best wishes|regards|kind regards|warm regards|warmly|cheers|thanks|thanks again|thank you|many thanks|sincerely|all the best|talk soon|speak soon|respectfully|yours|yours truly|with thanks|appreciate it|looking forward)[,.!]?$/i;

/** Ends of company names: the capitalised words before them are a company, the end included. */
export const companyEnds: ReadonlySet<string> = new Set(
  `inc inc. llc ltd ltd. corp corp. corporation co co. gmbh ag plc sa bv labs lab systems
  technologies technology solutions software group partners health healthcare capital logistics
  analytics robotics industries holdings networks ventures studios studio dynamics energy
  biosciences bio therapeutics pharma foods brands media security cloud data ai hq`.split(/\s+/),
);

/**
 * Capitalised words that are not names: days, months, titles and departments, sales and software
 * vocabulary, tools a message may mention, and words that start sentences. Lower case.
 */
export const notNames: ReadonlySet<string> = new Set(
  `i i'm i've i'd i'll a an the this that these those it its it's we we're we've our you you're
  your they their he she his her my me us if so and or but as at on in of to for with from by
  about after before when while since because although though just also still quick quickly
  hope hoping happy glad great good thanks thank congrats congratulations noticed saw read
  curious wondering would could can should will might may let here there what why how who where
  which whether yes no not now today tomorrow yesterday tonight next last this week month year
  quarter monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri january
  february march april may june july august september october november december jan feb mar apr
  jun jul aug sep sept oct nov dec q1 q2 q3 q4 ceo cto cfo coo cmo cro cio vp svp evp avp head
  director manager lead senior junior chief officer founder co-founder cofounder president
  partner engineer engineering sales marketing operations ops revenue growth product finance
  people hr it security legal design data support success customer customers account accounts
  executive representative rep sdr bdr ae team teams department business development enablement
  strategy platform procurement infrastructure devops analytics research series seed round
  subject re fw fwd ps p.s. best regards regards cheers warmly sincerely hi hello hey dear
  morning afternoon evening all everyone folks there crm erp saas api apis ai ml llm gpu sdk
  soc gdpr hipaa iso roi kpi kpis okr okrs b2b b2c smb mid-market enterprise mvp poc demo pilot
  linkedin salesforce hubspot outreach gong slack zoom teams google microsoft aws azure gcp
  excel sheets notion jira zapier stripe shopify snowflake sendgrid mailchimp marketo apollo
  zoominfo calendly gmail outlook chatgpt openai github figma workday sap oracle netsuite
  tableau looker intercom zendesk asana monday.com trello dropbox box docusign quickbooks xero
  north south east west new old open free fast easy simple real big small best top one two
  three four five six seven eight nine ten first second third many most more some every each
  other another any no none worth quick short brief call chat meeting meetings email emails
  thoughts interested interest case study studies webinar report guide playbook checklist
  template example examples idea ideas question questions note notes update updates
  reminder following follow-up followup follow circling circle bumping reaching reach
  wanted want worth mind open free available unsubscribe reply write writing`.split(/\s+/),
);

/** Words after "at" that say when, not where ("at 3pm", "at noon", "at the end of"). */
export const notCompanyAfterAt: ReadonlySet<string> = new Set(
  `noon midnight night lunch dinner breakfast eod eow the a an this that your our my their his her
  its least most first last all scale speed once work home length times`.split(/\s+/),
);

/**
 * Places outreach mentions (offices, markets, events): not a person or company. Multi-word places
 * are listed by their words. Lower case.
 */
export const places: ReadonlySet<string> = new Set(
  `america american americas europe european asia apac emea latam africa us usa uk eu canada
  mexico brazil germany france spain italy netherlands ireland india china japan singapore
  australia texas california florida york london paris berlin munich amsterdam dublin madrid
  lisbon toronto vancouver austin boston chicago denver seattle atlanta dallas houston miami
  francisco san diego los angeles bay area silicon valley sydney melbourne tokyo bangalore
  bengaluru mumbai delhi dubai tel aviv stockholm zurich`.split(/\s+/),
);
