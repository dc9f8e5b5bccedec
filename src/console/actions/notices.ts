/** The notices a page shows after a change (`?done=…&subject=…`); unknown codes show nothing. */
const templates: Record<string, (subject: string) => string> = {
  promoted: (subject) => `Promoted ${subject}: it is the baseline now and routing follows at once.`,
  rolled_back: (subject) => `Rolled back: ${subject}. Routing follows at once.`,
  share_changed: (subject) => `Traffic share changed: ${subject}. Routing follows at once.`,
  deployed: (subject) => `Deployed ${subject}. Routing follows at once.`,
  registered: (subject) => `Registered ${subject}. It takes no traffic until deployed.`,
  deprecated: (subject) => `Deprecated ${subject}: it takes no more traffic.`,
  training_started: (subject) => `Training run started: ${subject}.`,
  key_revoked: (subject) => `Revoked key ${subject}; its sessions ended with it.`,
};

export function noticeText(done: string | undefined, subject: string | undefined): string | null {
  const template = done === undefined ? undefined : templates[done];
  return template ? template((subject ?? '').slice(0, 200)) : null;
}
