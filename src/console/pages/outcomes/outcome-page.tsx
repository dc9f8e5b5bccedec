import type { OutcomeDetail } from '../../../store/index.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import { Section, TableWrap } from '../../views/components.tsx';
import { formatCount, formatInstant, formatScore, formatUsd } from '../../views/format.ts';
import { Layout } from '../../views/layout.tsx';
import { outcomeStages, promptMessages } from './outcome-timeline.ts';

/** One message: what was asked, what the model wrote, what it cost, and what happened after. */
export function OutcomePage({ viewer, detail }: { viewer: ConsoleViewer; detail: OutcomeDetail }) {
  const { outcome } = detail;
  return (
    <Layout title="Message" viewer={viewer} active="outcomes">
      <Section title="Facts" id="facts">
        <dl class="facts" data-outcome={outcome.id}>
          <dt>Outcome id</dt>
          <dd>{outcome.id}</dd>
          <dt>Organization</dt>
          <dd>{outcome.organization_id}</dd>
          <dt>Lead</dt>
          <dd>{outcome.lead_id ?? '—'}</dd>
          <dt>Campaign</dt>
          <dd>{outcome.campaign_id ?? '—'}</dd>
          <dt>Channel</dt>
          <dd>{outcome.channel}</dd>
          <dt>Model</dt>
          <dd data-fact="model">{modelName(outcome.provider, outcome.model_id)}</dd>
          <dt>Version</dt>
          <dd data-fact="model_version">
            {outcome.model_version ?? '—'}{' '}
            {outcome.variant && <span class="muted">({outcome.variant})</span>}
          </dd>
          <dt>Route</dt>
          <dd>{outcome.route ?? '—'}</dd>
          <dt>Cost</dt>
          <dd data-fact="cost">{formatUsd(outcome.cost_usd)}</dd>
          <dt>Latency</dt>
          <dd>{outcome.latency_ms === null ? '—' : `${formatCount(outcome.latency_ms)} ms`}</dd>
          <dt>Tokens</dt>
          <dd>
            {formatCount(outcome.prompt_tokens)} in, {formatCount(outcome.completion_tokens)} out
          </dd>
          <dt>Quality score</dt>
          <dd data-fact="quality">{formatScore(outcome.quality_score)}</dd>
          <dt>Request id</dt>
          <dd>{outcome.request_id ?? '—'}</dd>
          <dt>Created</dt>
          <dd>{formatInstant(outcome.created_at)}</dd>
        </dl>
      </Section>
      <Section title="Prompt" id="prompt">
        <Prompt prompt={outcome.prompt_messages} />
      </Section>
      <Section title="Output" id="output">
        {outcome.subject_line && (
          <p>
            <strong>Subject:</strong> <span data-fact="subject">{outcome.subject_line}</span>
          </p>
        )}
        <pre class="message-text" data-fact="message">
          {outcome.message_body ?? '(no message body stored)'}
        </pre>
      </Section>
      <Section title={`Timeline · quality ${formatScore(outcome.quality_score)}`} id="timeline">
        <ol class="timeline" data-timeline="outcome">
          {outcomeStages(detail).map((stage) => (
            <li data-stage={stage.stage}>
              <strong>{stage.stage}</strong>
              <time>{stage.at ? formatInstant(stage.at) : 'time not recorded'}</time>
              {stage.detail && <span>{stage.detail}</span>}
            </li>
          ))}
        </ol>
        {outcome.reply_text && (
          <>
            <h3>Reply</h3>
            <pre class="message-text" data-fact="reply">
              {outcome.reply_text}
            </pre>
          </>
        )}
        <h3>Provider events</h3>
        <TableWrap label="Provider events">
          <table data-table="events">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Source</th>
                <th scope="col">Happened</th>
                <th scope="col">Received</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {detail.events.map((event) => (
                <tr data-event={event.event_type}>
                  <td>{event.event_type}</td>
                  <td>{event.source}</td>
                  <td>{formatInstant(event.occurred_at)}</td>
                  <td>{formatInstant(event.received_at)}</td>
                  <td>{event.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {detail.events.length === 0 && (
          <p class="muted">No provider events were recorded for it.</p>
        )}
      </Section>
    </Layout>
  );
}

/** `provider/model`, as the gateway names models (catalog names often carry the provider already). */
function modelName(provider: string | null, model: string | null): string {
  if (model === null) {
    return provider ?? '—';
  }
  return provider === null || model.startsWith(`${provider}/`) ? model : `${provider}/${model}`;
}

function Prompt({ prompt }: { prompt: unknown }) {
  const messages = promptMessages(prompt);
  if (messages === null) {
    return (
      <p class="muted">No prompt stored (the message was reported through the tracking API).</p>
    );
  }
  if (typeof messages === 'string') {
    return <pre class="message-text">{messages}</pre>;
  }
  return (
    <div data-fact="prompt">
      {messages.map((message) => (
        <>
          <p class="prompt-role">{message.role}</p>
          <pre class="message-text">{message.content}</pre>
        </>
      ))}
    </div>
  );
}
