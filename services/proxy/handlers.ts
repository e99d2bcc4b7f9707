/** Contract handlers of the proxy: usage records and live stats. */
import { ok, type CommandOutput, type ParsedInput, type Result } from '../contract.js';
import type { UsageQueries } from '../usage/usage-queries.js';
import type { ProxyStatsWindow } from './stats.js';

type Names = 'usage.list' | 'proxy.stats';
type Handlers = { [M in Names]: (input: ParsedInput<M>) => Promise<Result<CommandOutput<M>>> };

export function proxyHandlers(d: { usage: UsageQueries; stats: ProxyStatsWindow; requireCustomer: (id: string) => unknown }): Handlers {
  return {
    'usage.list': async (input) => {
      const customerId = input?.customerId;
      if (customerId) d.requireCustomer(customerId); // a mistyped id is not "no requests yet"
      return ok({ recent: d.usage.recent(customerId, input?.limit ?? 50), byModel: d.usage.byModel(customerId), refused: d.usage.refused(customerId) });
    },
    'proxy.stats': async () => ok(d.stats.snapshot()),
  };
}
