import {
  currencyField,
  emptyEvent,
  isUuid,
  type NormalizedEvent,
  toIsoInstant,
} from './normalized-event.ts';
import type { SalesforceOutboundMessage } from './salesforce-outbound-message.ts';

/** A field value as Outbound Messages (text) or a Flow's JSON (typed) carry it. */
export type SalesforceFieldValue = string | number | boolean | null;

export interface SalesforceRecord {
  /** sObject API name: `Opportunity`, `Event`, … */
  readonly type: string;
  readonly fields: Readonly<Record<string, SalesforceFieldValue | undefined>>;
}

export interface SalesforceMappingOptions {
  /** `?organization_id=` of the request; Salesforce payloads name only their own org. */
  organizationId?: string | undefined;
  /** API name of the custom field with the outcome id (default `Rekindle_Outcome_Id__c`). */
  outcomeField?: string;
  /** API name of the custom field with the lead id (default `Rekindle_Lead_Id__c`). */
  leadField?: string;
  /** `StageName` values that mean won / lost when `IsWon` / `IsClosed` are not sent. */
  wonStages?: readonly string[];
  lostStages?: readonly string[];
  /** Milliseconds since the epoch: the event time when the record has no modification stamp. */
  now?: () => number;
}

const defaultSalesforceOutcomeField = 'Rekindle_Outcome_Id__c';
const defaultSalesforceLeadField = 'Rekindle_Lead_Id__c';

/** Every notification of an Outbound Message, as events keyed by `Notification/Id`. */
export function normalizeSalesforceOutboundMessage(
  message: SalesforceOutboundMessage,
  options: SalesforceMappingOptions = {},
): NormalizedEvent[] {
  return message.notifications.map((notification) =>
    normalizeSalesforceRecord(
      { type: notification.objectType, fields: notification.fields },
      notification.id,
      {
        OrganizationId: message.organizationId,
        ActionId: message.actionId,
        NotificationId: notification.id,
        sObjectType: notification.objectType,
        sObject: notification.fields,
      },
      options,
    ),
  );
}

/**
 * One Salesforce record → one event. Opportunity: won (`IsWon`, else a won `StageName`) or lost
 * (`IsClosed` without `IsWon`, else a lost `StageName`) → `deal.closed` with `Amount`; otherwise
 * `deal.created` (created = last modified) or `deal.updated`. Event → `meeting.booked` at
 * `StartDateTime` (`ActivityDateTime`; an all-day event's `ActivityDate`). Other objects are stored
 * and ignored.
 */
export function normalizeSalesforceRecord(
  record: SalesforceRecord,
  eventId: string,
  raw: unknown,
  options: SalesforceMappingOptions = {},
): NormalizedEvent {
  const field = fieldReader(record.fields);
  const outcome = field.text(options.outcomeField ?? defaultSalesforceOutcomeField);
  const occurredAt =
    field.instant('LastModifiedDate') ??
    field.instant('SystemModstamp') ??
    field.instant('CreatedDate') ??
    new Date((options.now ?? Date.now)()).toISOString();
  const base: NormalizedEvent = {
    ...emptyEvent({
      source: 'salesforce',
      eventId,
      type: `salesforce.${record.type}`,
      occurredAt,
      raw,
    }),
    organizationId: options.organizationId ?? null,
    outcomeId: isUuid(outcome) ? outcome.toLowerCase() : null,
    leadId: field.text(options.leadField ?? defaultSalesforceLeadField),
  };
  switch (record.type.toLowerCase()) {
    case 'opportunity':
      return { ...base, ...opportunityFields(field, options) };
    case 'event':
      return { ...base, ...eventFields(field) };
    default:
      return base;
  }
}

type FieldReader = ReturnType<typeof fieldReader>;

/** Field API names are case-insensitive in Salesforce; values arrive as text or typed JSON. */
function fieldReader(fields: SalesforceRecord['fields']) {
  const byName = new Map<string, SalesforceFieldValue>();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) {
      byName.set(name.toLowerCase(), value);
    }
  }
  const text = (name: string): string | null => {
    const value = byName.get(name.toLowerCase());
    if (value === null || value === undefined) {
      return null;
    }
    const trimmed = String(value).trim();
    return trimmed === '' || trimmed.length > 200 ? null : trimmed;
  };
  return {
    text,
    flag: (name: string): boolean | null => {
      const value = text(name)?.toLowerCase();
      return value === 'true' || value === '1'
        ? true
        : value === 'false' || value === '0'
          ? false
          : null;
    },
    amount: (name: string): number | null => {
      const value = text(name);
      const amount = value !== null && /^\d+(\.\d+)?$/.test(value) ? Number(value) : null;
      return amount !== null && Number.isFinite(amount) ? amount : null;
    },
    instant: (name: string): string | null => {
      const value = text(name);
      return value === null ? null : toIsoInstant(value);
    },
  };
}

function inList(value: string | null, list: readonly string[]): boolean {
  return value !== null && list.some((item) => item.toLowerCase() === value.toLowerCase());
}

function opportunityFields(
  field: FieldReader,
  options: SalesforceMappingOptions,
): Partial<NormalizedEvent> {
  const stage = field.text('StageName');
  const won = field.flag('IsWon') ?? inList(stage, options.wonStages ?? ['Closed Won']);
  const lost =
    !won && (field.flag('IsClosed') ?? inList(stage, options.lostStages ?? ['Closed Lost']));
  const created = field.text('CreatedDate');
  let type =
    created !== null && created === field.text('LastModifiedDate')
      ? 'deal.created'
      : 'deal.updated';
  if (won || lost) {
    type = 'deal.closed';
  }
  return {
    type,
    dealId: field.text('Id'),
    status: won ? 'won' : lost ? 'lost' : stage,
    amount: field.amount('Amount'),
    ...currencyField(field.text('CurrencyIsoCode')),
  };
}

function eventFields(field: FieldReader): Partial<NormalizedEvent> {
  const allDay = field.text('ActivityDate');
  const whatId = field.text('WhatId');
  return {
    type: 'meeting.booked',
    meetingTime:
      field.instant('StartDateTime') ??
      field.instant('ActivityDateTime') ??
      (allDay !== null && /^\d{4}-\d{2}-\d{2}$/.test(allDay)
        ? toIsoInstant(`${allDay}T00:00:00Z`)
        : null),
    // An Event's WhatId is the record it is about; an Opportunity's ids start with 006.
    dealId: whatId?.startsWith('006') ? whatId : null,
  };
}
