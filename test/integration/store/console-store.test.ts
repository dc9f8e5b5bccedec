import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../../src/store/create-store.ts';
import type { OutcomeCursor } from '../../../src/store/index.ts';
import type { TrackedMessageRow } from '../../../src/store/outcomes/outcome-record.ts';
import { StoreInputError } from '../../../src/store/store-errors.ts';
import { describeWithServices } from '../../helpers/services.ts';
import { stopTransportServices, type TransportCase, transportCases } from './store-transports.ts';

/**
 * The console's store functions (…_console.sql) on every transport: keyset pages that visit every
 * matching outcome once in newest-first order, counts and weekly series scoped to an organization,
 * an outcome's events only within its organization, and sessions that end with their API key.
 */
afterAll(stopTransportServices);

const day = 86_400_000;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function rows(organizationId: string, count: number, now: number): TrackedMessageRow[] {
  return Array.from({ length: count }, (_, index) => ({
    id: crypto.randomUUID(),
    organization_id: organizationId,
    campaign_id: `camp-${index % 3}`,
    lead_id: `lead-${index % 7}`,
    route: 'outreach',
    message_body: `message ${index}`,
    model_id: 'gpt-4o-mini',
    model_version: index % 2 === 0 ? 'v1' : 'v2',
    provider: 'openai',
    cost_usd: 0.001,
    // Several rows share a timestamp: the cursor's id breaks the tie.
    created_at: new Date(now - Math.floor(index / 3) * (day / 4)).toISOString(),
  }));
}

function consoleSuite(transportCase: TransportCase) {
  const org = `console_${transportCase.name}`;
  const other = `${org}_other`;
  const now = Date.now();
  let store: Store;
  const seeded = rows(org, 90, now);

  beforeAll(async () => {
    store = await transportCase.open();
    await store.outcomes.trackMessages(seeded);
    await store.outcomes.trackMessages(rows(other, 30, now));
    // A fresh PGlite migrates every file first: past a minute when the machine is busy.
  }, 180_000);
  afterAll(async () => {
    await store?.close();
  });

  it('pages through every matching outcome once, newest first, without OFFSET', async () => {
    for (const filter of [{}, { leadId: 'lead-3' }, { campaignId: 'camp-1', modelVersion: 'v2' }]) {
      const seen: Array<{ id: string; created_at: string }> = [];
      let before: OutcomeCursor | undefined;
      let matches = -1;
      for (let guard = 0; guard < 20; guard += 1) {
        const page = await store.console.searchOutcomes({
          organizationId: org,
          ...filter,
          before,
          limit: 7,
        });
        matches = page.matches;
        expect(page.rows.length).toBeLessThanOrEqual(7);
        seen.push(...page.rows.map((row) => ({ id: row.id, created_at: row.created_at })));
        if (page.next === null) {
          break;
        }
        before = page.next;
      }
      expect(new Set(seen.map((row) => row.id)).size).toBe(seen.length);
      expect(seen.length).toBe(matches);
      const sorted = [...seen].sort(
        (left, right) =>
          Date.parse(right.created_at) - Date.parse(left.created_at) ||
          right.id.localeCompare(left.id),
      );
      expect(seen).toEqual(sorted);
    }
    const all = await store.console.searchOutcomes({ organizationId: org, limit: 200 });
    expect(all.matches).toBe(90);
    expect(all.rows.every((row) => row.organization_id === org)).toBe(true);
    const everyone = await store.console.searchOutcomes({ organizationId: null, limit: 1 });
    expect(everyone.matches).toBeGreaterThanOrEqual(120);
    const recent = await store.console.searchOutcomes({
      organizationId: org,
      from: new Date(now - day),
      limit: 200,
    });
    expect(recent.rows.every((row) => Date.parse(row.created_at) >= now - day)).toBe(true);
    expect(recent.matches).toBe(recent.rows.length);
    await expect(
      store.console.searchOutcomes({
        organizationId: org,
        before: { created_at: 'yesterday', id: crypto.randomUUID() },
      }),
    ).rejects.toBeInstanceOf(StoreInputError);
    await expect(
      store.console.searchOutcomes({ organizationId: org, outcomeId: 'x' }),
    ).rejects.toBeInstanceOf(StoreInputError);
  });

  it('counts the overview and the weekly flywheel of one organization', async () => {
    const overview = await store.console.overview({
      organizationId: org,
      since: new Date(now - 7 * day),
      until: new Date(now + 1000),
    });
    const inWindow = seeded.filter((row) => Date.parse(row.created_at ?? '') >= now - 7 * day);
    expect(inWindow.length).toBeLessThan(90);
    expect(overview.outcomes).toBe(inWindow.length);
    expect(overview.cost_usd).toBeCloseTo(inWindow.length * 0.001, 8);
    const weeks = await store.console.flywheelWeekly({
      organizationId: other,
      weeks: 4,
      until: new Date(now),
    });
    expect(weeks).toHaveLength(4);
    expect(weeks.reduce((sum, week) => sum + week.outcomes, 0)).toBe(30);
    expect(weeks.every((week) => /^\d{4}-W\d{2}$/.test(week.iso_week))).toBe(true);
  });

  it("shows an outcome's events only within its organization", async () => {
    const [first] = (await store.console.searchOutcomes({ organizationId: org, limit: 1 })).rows;
    expect(first).toBeDefined();
    const id = first?.id ?? '';
    await store.webhookEvents.ingest('sendgrid', [
      {
        event_id: `console-${transportCase.name}-1`,
        event_type: 'delivered',
        occurred_at: new Date(now).toISOString(),
        organization_id: org,
        outcome_id: id,
        sg_message_ids: [],
        lead_id: null,
        deal_id: null,
        effect: { flags: ['delivered'], meeting_time: null, deal_value: null, deal_id: null },
        payload: { event: 'delivered' },
      },
    ]);
    const detail = await store.console.outcomeDetail(org, id);
    expect(detail?.outcome.delivered).toBe(true);
    expect(detail?.events.map((event) => event.event_type)).toEqual(['delivered']);
    expect(await store.console.outcomeDetail(other, id)).toBeNull();
    expect((await store.console.outcomeDetail(null, id))?.outcome.id).toBe(id);
    expect(await store.console.outcomeDetail(org, 'not-a-uuid')).toBeNull();
  });

  it('keeps sessions by the hash of their id; a revoked key ends its sessions', async () => {
    const admin = sha(`admin-${transportCase.name}`);
    const created = await store.console.createSession({
      idHash: admin,
      kind: 'admin',
      organizationId: null,
      apiKeyId: null,
      credentialHash: sha('token'),
      ttlSeconds: 3600,
    });
    expect(created).toMatchObject({
      kind: 'admin',
      organization_id: null,
      credential_hash: sha('token'),
    });
    expect((await store.console.session(admin, 3600))?.id_hash).toBe(admin);
    await store.console.deleteSession(admin);
    expect(await store.console.session(admin, 3600)).toBeNull();

    const { record } = await store.apiKeys.create({ organizationId: org });
    const keyed = sha(`key-${transportCase.name}`);
    await store.console.createSession({
      idHash: keyed,
      kind: 'key',
      organizationId: org,
      apiKeyId: record.id,
      credentialHash: null,
      ttlSeconds: 3600,
    });
    expect((await store.console.session(keyed, 3600))?.organization_id).toBe(org);
    await store.apiKeys.revoke(record.id);
    expect(await store.console.session(keyed, 3600)).toBeNull();
    await expect(
      store.console.createSession({
        idHash: 'short',
        kind: 'open',
        organizationId: 'default',
        apiKeyId: null,
        credentialHash: null,
        ttlSeconds: 60,
      }),
    ).rejects.toThrow();
  });
}

for (const transportCase of transportCases().filter((entry) => entry.name !== 'pglite_worker')) {
  describeWithServices(
    transportCase.services,
    `console store functions over ${transportCase.name}`,
    () => consoleSuite(transportCase),
  );
}
