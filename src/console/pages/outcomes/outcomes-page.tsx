import type { OutcomeSearchPage, OutcomeSummary } from '../../../store/index.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import { Section, TableWrap } from '../../views/components.tsx';
import { formatCount, formatInstant, formatScore, formatUsd } from '../../views/format.ts';
import { Layout } from '../../views/layout.tsx';
import { encodeCursor, filterQuery, type OutcomeFilters } from './outcome-query.ts';

export interface OutcomesPageProps {
  readonly viewer: ConsoleViewer;
  readonly filters: OutcomeFilters;
  readonly page: OutcomeSearchPage;
  /** True past the first page (a link back to it is shown). */
  readonly paged: boolean;
}

export function OutcomesPage(props: OutcomesPageProps) {
  return (
    <Layout title="Outcomes" viewer={props.viewer} active="outcomes">
      <SearchForm {...props} />
      <Results {...props} />
    </Layout>
  );
}

function SearchForm({ viewer, filters }: OutcomesPageProps) {
  const field = (name: keyof OutcomeFilters, label: string, type = 'text', placeholder = '') => (
    <div class="field">
      <label for={`search-${name}`}>{label}</label>
      <input
        type={type}
        id={`search-${name}`}
        name={name}
        value={filters[name]}
        placeholder={placeholder}
      />
    </div>
  );
  return (
    <Section title="Search" id="search">
      <form method="get" action="/console/outcomes" class="form-grid">
        {field('lead', 'Lead id')}
        {field('campaign', 'Campaign id')}
        {field('id', 'Outcome id', 'text', 'UUID')}
        {field('model_version', 'Model version')}
        {field('from', 'From (UTC)', 'date')}
        {field('to', 'To (UTC, inclusive)', 'date')}
        {viewer.organizationId === null &&
          field('org', 'Organization', 'text', 'every organization')}
        <div class="field">
          <button type="submit">Search</button>
        </div>
      </form>
    </Section>
  );
}

function Results(props: OutcomesPageProps) {
  const { page, viewer } = props;
  const count = page.capped ? `more than ${formatCount(page.matches)}` : formatCount(page.matches);
  return (
    <Section title="Messages" id="results">
      <p data-matches={page.capped ? `${page.matches}+` : String(page.matches)}>
        {count} {page.matches === 1 ? 'message matches' : 'messages match'}; newest first.
      </p>
      <TableWrap label="Matching messages">
        <table data-table="outcomes">
          <thead>
            <tr>
              <th scope="col">Created</th>
              {viewer.organizationId === null && <th scope="col">Organization</th>}
              <th scope="col">Lead</th>
              <th scope="col">Campaign</th>
              <th scope="col">Version</th>
              <th scope="col">Message</th>
              <th scope="col">Furthest stage</th>
              <th scope="col" class="number">
                Quality
              </th>
              <th scope="col" class="number">
                Cost
              </th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((row) => (
              <tr data-outcome={row.id}>
                <td>
                  <a href={`/console/outcomes/${row.id}`}>{formatInstant(row.created_at)}</a>
                </td>
                {viewer.organizationId === null && <td>{row.organization_id}</td>}
                <td data-cell="lead">{row.lead_id ?? '—'}</td>
                <td data-cell="campaign">{row.campaign_id ?? '—'}</td>
                <td data-cell="version">{row.model_version ?? '—'}</td>
                <td>{row.subject_line ?? row.preview ?? '—'}</td>
                <td>{furthestStage(row)}</td>
                <td class="number" data-cell="quality">
                  {formatScore(row.quality_score)}
                </td>
                <td class="number">{formatUsd(row.cost_usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <nav class="pager" aria-label="Pages">
        {props.paged && <a href={`/console/outcomes${filterQuery(props.filters)}`}>Newest page</a>}
        {page.next && (
          <a
            rel="next"
            href={`/console/outcomes${filterQuery(props.filters, { before: encodeCursor(page.next) })}`}
          >
            Older messages
          </a>
        )}
      </nav>
    </Section>
  );
}

/** The last stage the message reached, as the quality score ranks them. */
function furthestStage(row: OutcomeSummary): string {
  if (row.deal_closed) {
    return 'deal';
  }
  if (row.meeting_booked) {
    return 'meeting';
  }
  if (row.replied) {
    return `replied${row.reply_sentiment_label ? ` (${row.reply_sentiment_label})` : ''}`;
  }
  if (row.bounced) {
    return 'bounced';
  }
  return row.clicked ? 'clicked' : row.opened ? 'opened' : row.delivered ? 'delivered' : 'sent';
}
