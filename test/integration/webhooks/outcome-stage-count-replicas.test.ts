import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GatewayFleet, startGatewayFleet } from '../../helpers/gateway-fleet.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import { mapConcurrently, metricValue } from '../router/gateway-probes.ts';

/**
 * Issue 16, item 3, on three gateway processes sharing one PostgreSQL 15: the same
 * `POST /v1/outcomes/{id}/meeting` (and `/reply`, `/deal`) sent to every replica at once stores one
 * meeting per outcome, and `rekindle_outcomes_total` — summed over the replicas, as Prometheus
 * sums them — counts exactly the stages the store recorded, never one per request.
 */
const outcomes = 20;

describeWithServices(
  [postgresService()],
  'outcome stages counted once across three replicas',
  () => {
    let postgres: PostgresServer;
    let fleet: GatewayFleet;
    let key: string;

    beforeAll(async () => {
      postgres = await startPostgresServer();
      const databaseUrl = await postgres.database('stage_counts');
      fleet = await startGatewayFleet({
        count: 3,
        databaseUrl,
        apiKeys: [{ organizationId: 'org_stages' }],
        env: { LOG_LEVEL: 'warn' },
      });
      key = fleet.apiKeys[0]?.key as string;
    }, 180_000);

    afterAll(async () => {
      await fleet?.stop();
      await postgres?.stop();
    });

    const post = async (url: string, path: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    /** rekindle_outcomes_total{event} summed over every replica. */
    const counted = async (event: string) => {
      let total = 0;
      for (const replica of fleet.replicas) {
        total +=
          (await metricValue(replica.url, 'rekindle_outcomes_total', {
            route: 'stages',
            model_version: 'stage-v1',
            event,
          })) ?? 0;
      }
      return total;
    };

    it('counts each stage once however many replicas record it at the same moment', async () => {
      const [first] = fleet.replicas;
      const ids: string[] = [];
      for (let index = 0; index < outcomes; index += 1) {
        const tracked = await post(first?.url as string, '/v1/outcomes', {
          campaign_id: 'stages',
          lead_id: `lead-${index}@stages.test`,
          message_body: `Hello lead ${index}`,
          route: 'stages',
          model_version: 'stage-v1',
          model_id: 'gpt-4o-mini',
        });
        expect(tracked.status).toBe(200);
        ids.push(tracked.body.outcome_id as string);
      }
      const stages = [
        {
          path: 'reply',
          event: 'replied',
          body: { reply_text: 'Sounds good', sentiment_score: 0.9 },
        },
        {
          path: 'meeting',
          event: 'meeting_booked',
          body: { meeting_time: '2026-12-02T10:00:00Z' },
        },
        { path: 'deal', event: 'deal_closed', body: { deal_value: 1000 } },
      ];
      for (const stage of stages) {
        // Every outcome's identical request, twice on each replica, all at once.
        const calls = ids.flatMap((id) =>
          [0, 1, 2, 0, 1, 2].map((replica) => ({
            id,
            url: fleet.replicas[replica]?.url as string,
          })),
        );
        const answers = await mapConcurrently(calls, 36, (call) =>
          post(call.url, `/v1/outcomes/${call.id}/${stage.path}`, stage.body),
        );
        expect(answers.every((answer) => answer.status === 200)).toBe(true);
        // The response is the outcome row, as before.
        expect(answers[0]?.body).toMatchObject({ id: ids[0], [stage.event]: true });
        expect(answers[0]?.body).not.toHaveProperty('stage_reached');
        const total = await counted(stage.event);
        console.info(
          `${stage.event}: ${calls.length} requests on 3 replicas for ${outcomes} outcomes → rekindle_outcomes_total ${total}`,
        );
        expect(total).toBe(outcomes);
      }
    }, 120_000);
  },
);
