/** Contract handlers of the owner's dashboard: `reports.overview` and `reports.pnl` (read-only). */
import { ok, type CommandOutput, type ParsedInput, type Result } from '../contract.js';
import type { Db } from '../db/database.js';
import { OverviewQueries, type UpstreamSummary } from './overview.js';
import { PnlQueries } from './pnl-queries.js';

type Names = 'reports.overview' | 'reports.pnl';
type Handlers = { [M in Names]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>> };

export interface ReportDeps {
  db: Db;
  /** The upstream's credit as `upstream.status` reports it. */
  upstream: () => UpstreamSummary;
  now?: () => Date;
}

export function reportHandlers(d: ReportDeps): Handlers {
  const pnl = new PnlQueries(d.db);
  const overview = new OverviewQueries(d.db, pnl);
  const now = d.now ?? (() => new Date());
  return {
    'reports.overview': async () => ok(overview.overview(now(), d.upstream())),
    'reports.pnl': async (input) => ok(pnl.report(input.from, input.to, input.granularity, now())),
  };
}
