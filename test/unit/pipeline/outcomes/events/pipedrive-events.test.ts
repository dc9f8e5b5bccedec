import { describe, expect, it } from 'vitest';
import {
  outcomeEffectOf,
  parsePipedriveWebhook,
  toWebhookEventInput,
  WebhookPayloadError,
} from '../../../../../src/pipeline/outcomes/events/index.ts';
import { crmFixture } from '../../../../helpers/crm-fixtures.ts';

const outcomeField = '5b1d3e6f0a7c4e2f9b8d1c3a5e7f9b0d2c4e6a81';
const leadField = '8e0c5a7d2f4b6e1c9a3d5f7b0e2c4a6d8f1b3e57';
const outcomeId = '0193f0c2-7c4e-7d2a-9b61-2f5a8e0c1d34';
const options = { outcomeField, leadField };
const fill = (overrides: Record<string, string | number> = {}) => ({
  company_id: '7730412',
  event_id: '8a0b6c1e-2f3d-4e5a-9b7c-0d1e2f3a4b5c',
  deal_id: 4711,
  activity_id: 812,
  outcome_id: outcomeId,
  lead_id: '',
  ...overrides,
});
const fixture = (name: string, overrides: Record<string, string | number> = {}) =>
  JSON.parse(crmFixture(name, fill(overrides))) as Record<string, Record<string, unknown>>;
const parse = (body: unknown, extra = {}) =>
  parsePipedriveWebhook(JSON.stringify(body), { ...options, ...extra });

describe('parsePipedriveWebhook', () => {
  it('a deal turning won is deal.closed with value and currency, keyed by company and meta.id', () => {
    const event = parsePipedriveWebhook(
      crmFixture('pipedrive-deal-won.json', fill({ lead_id: 'lead_42' })),
      { ...options, organizationId: 'acme' },
    );
    expect(event).toMatchObject({
      source: 'pipedrive',
      eventId: '7730412:8a0b6c1e-2f3d-4e5a-9b7c-0d1e2f3a4b5c',
      type: 'deal.closed',
      occurredAt: '2026-11-28T10:15:00.000Z',
      outcomeId,
      leadId: 'lead_42',
      dealId: '4711',
      organizationId: 'acme',
      status: 'won',
      amount: 12000,
      currency: 'EUR',
    });
    expect(toWebhookEventInput(event).effect).toEqual({
      flags: ['deal_closed'],
      meeting_time: null,
      deal_value: 12000,
      deal_id: '4711',
      deal_currency: 'EUR',
    });
  });

  it('lost is closed-lost without a value; created and changed open deals are created/updated', () => {
    const lost = parse(fixture('pipedrive-deal-lost.json'));
    expect(lost).toMatchObject({ type: 'deal.closed', status: 'lost', amount: 5000 });
    expect(outcomeEffectOf(lost)).toEqual({
      flags: [],
      meetingTime: null,
      dealValue: null,
      dealId: '4711',
    });
    expect(toWebhookEventInput(lost).effect).not.toHaveProperty('deal_currency');
    expect(parse(fixture('pipedrive-deal-created.json'))).toMatchObject({
      type: 'deal.created',
      status: 'open',
      amount: 8000,
    });
    expect(parse(fixture('pipedrive-deal-updated.json'))).toMatchObject({
      type: 'deal.updated',
      amount: 9500,
    });
  });

  it('an edit of a deal won earlier is an update (same effect), a deal created won is closed', () => {
    const won = fixture('pipedrive-deal-won.json');
    const edited = { ...won, previous: { title: 'old title' } };
    const update = parse(edited);
    expect(update).toMatchObject({ type: 'deal.updated', status: 'won' });
    expect(outcomeEffectOf(update).flags).toEqual(['deal_closed']);
    const created = { ...won, meta: { ...won.meta, action: 'create' }, previous: null };
    expect(parse(created)).toMatchObject({ type: 'deal.closed' });
  });

  it('reads custom fields in the webhooks v2 form and the bare form; only a UUID is an outcome id', () => {
    const won = fixture('pipedrive-deal-won.json');
    const data = won.data as Record<string, unknown>;
    const withFields = (fields: Record<string, unknown>) => ({
      ...won,
      data: { ...data, custom_fields: fields },
    });
    expect(
      parse(withFields({ [outcomeField]: outcomeId.toUpperCase(), [leadField]: 42 })),
    ).toMatchObject({
      outcomeId,
      leadId: '42',
    });
    expect(
      parse(withFields({ [outcomeField]: { type: 'varchar', value: 'not-a-uuid' } })),
    ).toMatchObject({
      outcomeId: null,
      leadId: null,
    });
    // Without configured keys nothing is read from custom fields.
    expect(parsePipedriveWebhook(JSON.stringify(won))).toMatchObject({
      outcomeId: null,
      leadId: null,
    });
  });

  it('a meeting activity books the meeting at its due date and time (UTC); other activities do nothing', () => {
    const meeting = parse(fixture('pipedrive-activity-meeting.json'));
    expect(meeting).toMatchObject({
      type: 'meeting.booked',
      dealId: '4711',
      meetingTime: '2026-12-02T15:30:00.000Z',
    });
    const activity = fixture('pipedrive-activity-meeting.json');
    const data = activity.data as Record<string, unknown>;
    expect(parse({ ...activity, data: { ...data, due_time: '' } })).toMatchObject({
      meetingTime: '2026-12-02T00:00:00.000Z',
    });
    expect(
      parse({ ...activity, data: { ...data, type: 'demo' } }, { meetingTypes: ['demo'] }),
    ).toMatchObject({
      type: 'meeting.booked',
    });
    const call = parse({ ...activity, data: { ...data, type: 'call' } });
    expect(call.type).toBe('activity.create');
    expect(outcomeEffectOf(call)).toEqual({
      flags: [],
      meetingTime: null,
      dealValue: null,
      dealId: null,
    });
  });

  it('deletes and other entities are stored without effect; a person keeps no personal data', () => {
    const won = fixture('pipedrive-deal-won.json');
    const deleted = parse({ ...won, meta: { ...won.meta, action: 'delete' }, data: null });
    expect(deleted).toMatchObject({ type: 'deal.delete', dealId: '4711' });
    expect(outcomeEffectOf(deleted).flags).toEqual([]);
    const person = {
      ...won,
      meta: { ...won.meta, entity: 'person' },
      data: { id: 4533, name: 'Dana Scully', emails: [{ value: 'dana@initech.example' }] },
    };
    const event = parse(person);
    expect(event.type).toBe('person.change');
    expect(JSON.stringify(event.raw)).not.toContain('dana@initech.example');
  });

  it('keys a body without meta.id by its content (retries excluded), and one without company by meta.id', () => {
    const won = fixture('pipedrive-deal-won.json');
    const meta = won.meta as Record<string, unknown>;
    const { id: _id, company_id: _company, version: _version, ...bare } = meta;
    const first = parse({ ...won, meta: { ...bare, attempt: 1 } });
    expect(first.eventId).toMatch(/^h_/);
    expect(parse({ ...won, meta: { ...bare, attempt: 2 } }).eventId).toBe(first.eventId);
    expect(parse({ ...won, meta: { ...bare, attempt: 1, entity_id: '4712' } }).eventId).not.toBe(
      first.eventId,
    );
    expect(parse({ ...won, meta: { ...bare, id: 'evt-9' } }).eventId).toBe('evt-9');
    expect(first).toMatchObject({ type: 'deal.closed', amount: 12000 });
  });

  it('refuses what is not a webhooks v2 body with a 400 naming the field', () => {
    const won = fixture('pipedrive-deal-won.json');
    const meta = won.meta as Record<string, unknown>;
    const cases: Array<[unknown, string | null]> = [
      [{ ...won, meta: { ...meta, version: '1.0' } }, 'meta.version'],
      [{ ...won, meta: { ...meta, timestamp: 'yesterday' } }, 'meta.timestamp'],
      [{ ...won, meta: { ...meta, action: undefined } }, 'meta.action'],
      [{ ...won, current: won.data }, 'meta.version'],
      [{ meta }, 'data'],
      [{ ...won, data: { ...(won.data as object), status: 7 } }, 'data.status'],
    ];
    for (const [body, param] of cases) {
      try {
        parse(body);
        expect.unreachable(JSON.stringify(param));
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookPayloadError);
        expect((error as WebhookPayloadError).param).toBe(param);
      }
    }
    expect(() => parsePipedriveWebhook('not json')).toThrow(/not valid JSON/);
  });
});
