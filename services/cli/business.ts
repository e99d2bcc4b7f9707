/**
 * Owner commands for the reselling business: customers, credit, balance, keys, usage.
 * Each prints for people, or JSON with --json; each goes through the contract (cli/invoke.ts).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { KeyView, NotForSaleView, PackageView } from '../contract.js';
import { resolveDataDir } from '../config/data-dir.js';
import { formatUsd } from '../money/units.js';
import { picoToUsdPerMillion } from '../pricing/customer-price.js';
import { invoke } from './invoke.js';
import { CliError, printJson, table, unwrap } from './output.js';

interface Common {
  dataDir?: string;
  json?: boolean;
}

const dir = (o: Common) => resolveDataDir(o.dataDir);

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new CliError(`${name} must be a positive whole number (got "${value}")`, 2);
    return n;
  };
}

function keyRows(keys: KeyView[]): string {
  return table([
    ['KEY ID', 'CUSTOMER', 'KEY', 'STATUS', 'LABEL', 'MODELS', 'RPM', 'TPM', 'CONCURRENT', 'EXPIRES'],
    ...keys.map((k) => [
      k.id,
      k.customerId,
      k.hint,
      // A rotated key says what replaced it.
      k.rotatedTo ? `rotated → ${k.rotatedTo}` : k.status,
      k.label,
      k.allowedModels?.join(',') ?? 'all',
      k.rpm ? String(k.rpm) : '-',
      k.tpm ? String(k.tpm) : '-',
      k.maxConcurrent ? String(k.maxConcurrent) : '-',
      k.expiresAt?.slice(0, 10) ?? '-',
    ]),
  ]);
}

export function addBusinessCommands(program: Command, withCommon: (c: Command) => Command): void {
  const customers = program.command('customers').description('customers of the shop');
  withCommon(customers.command('add').description('add a customer').requiredOption('--name <name>', 'display name').option('--telegram-id <id>', 'their Telegram user id', positiveInt('--telegram-id'))).action(
    async (o: Common & { name: string; telegramId?: number }) => {
      const c = unwrap(await invoke(dir(o), 'customers.add', { name: o.name, ...(o.telegramId ? { telegramId: o.telegramId } : {}) }));
      if (o.json) return printJson(c);
      console.log(`Added ${c.name}: ${c.id}`);
    },
  );
  withCommon(customers.command('list').description('every customer with balance and active keys')).action(async (o: Common) => {
    const { customers: list } = unwrap(await invoke(dir(o), 'customers.list'));
    if (o.json) return printJson(list);
    if (!list.length) return console.log('No customers yet. Add one with `arbdesk customers add --name NAME`.');
    console.log(table([['ID', 'NAME', 'TELEGRAM', 'AVAILABLE', 'HELD', 'KEYS'], ...list.map((c) => [c.id, c.name, c.telegramId ? String(c.telegramId) : '-', formatUsd(c.availableMicro), formatUsd(c.heldMicro), String(c.activeKeys)])]));
  });

  withCommon(program.command('credit <customerId> <usd>').description('record money received from a customer (adds to their balance)').option('--memo <memo>', 'why / where the money came from', '')).action(
    async (customerId: string, usd: string, o: Common & { memo: string }) => {
      const r = unwrap(await invoke(dir(o), 'customers.credit', { customerId, usd, memo: o.memo }));
      if (o.json) return printJson(r);
      console.log(`Credited $${usd} to ${r.customer.name}. Balance: ${formatUsd(r.customer.availableMicro)}.`);
    },
  );
  withCommon(program.command('balance <customerId>').description("a customer's balance and token allowances")).action(async (customerId: string, o: Common) => {
    const r = unwrap(await invoke(dir(o), 'customers.get', { customerId }));
    const live = r.allowances.filter((a) => !a.expired && a.remainingTokens > 0);
    if (o.json) {
      return printJson({ customerId, availableMicro: r.customer.availableMicro, heldMicro: r.customer.heldMicro, available: formatUsd(r.customer.availableMicro), held: formatUsd(r.customer.heldMicro), allowances: live });
    }
    console.log(`${r.customer.name} (${r.customer.id}): ${formatUsd(r.customer.availableMicro)} available, ${formatUsd(r.customer.heldMicro)} held for requests in flight`);
    for (const a of live) console.log(`  ${a.remainingTokens} of ${a.grantedTokens} tokens of ${a.model}${a.expiresAt ? `, until ${a.expiresAt.slice(0, 10)}` : ''}`);
  });
  withCommon(
    program
      .command('grant <customerId> <model> <tokens>')
      .description('give a customer a token allowance for one model (what a token package grants)')
      .requiredOption('--memo <memo>', 'why (kept in the audit trail)')
      .option('--days <n>', 'valid for this many days (default: no expiry)', positiveInt('--days')),
  ).action(async (customerId: string, model: string, tokens: string, o: Common & { memo: string; days?: number }) => {
    const r = unwrap(await invoke(dir(o), 'allowances.grant', { customerId, model, tokens: positiveInt('tokens')(tokens), validityDays: o.days ?? null, memo: o.memo }));
    if (o.json) return printJson(r);
    console.log(`Granted ${tokens} tokens of ${model} to ${customerId} (lot ${r.lotId}).`);
  });

  const keys = program.command('keys').description("customers' API keys (sk-arb-…)");
  withCommon(
    keys
      .command('issue <customerId>')
      .description('issue a new key; it is printed once and never again')
      .option('--models <list>', 'comma-separated model ids this key may use (default: all)')
      .option('--rpm <n>', 'requests per minute', positiveInt('--rpm'))
      .option('--tpm <n>', 'tokens per minute', positiveInt('--tpm'))
      .option('--concurrency <n>', 'concurrent requests', positiveInt('--concurrency'))
      .option('--expires-days <n>', 'expires after this many days', positiveInt('--expires-days'))
      .option('--label <label>', 'a name for the key'),
  ).action(async (customerId: string, o: Common & { models?: string; rpm?: number; tpm?: number; concurrency?: number; expiresDays?: number; label?: string }) => {
    const r = unwrap(
      await invoke(dir(o), 'keys.issue', {
        customerId,
        ...(o.models ? { models: o.models.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
        ...(o.rpm ? { rpm: o.rpm } : {}),
        ...(o.tpm ? { tpm: o.tpm } : {}),
        ...(o.concurrency ? { maxConcurrent: o.concurrency } : {}),
        ...(o.expiresDays ? { expiresDays: o.expiresDays } : {}),
        ...(o.label ? { label: o.label } : {}),
      }),
    );
    if (o.json) return printJson(r);
    console.log(`Key ${r.record.id} for ${customerId}. Copy it now — it is not shown again:\n\n  ${r.key}\n`);
    if (o.models && !r.modelsChecked) console.error('Note: no upstream model catalog is loaded yet, so the --models ids were not checked (see `arbdesk doctor`).');
  });
  withCommon(keys.command('list [customerId]').description('keys (masked), all or one customer’s')).action(async (customerId: string | undefined, o: Common) => {
    const r = unwrap(await invoke(dir(o), 'keys.list', customerId ? { customerId } : {}));
    if (o.json) return printJson(r.keys);
    console.log(r.keys.length ? keyRows(r.keys) : 'No keys.');
  });
  withCommon(keys.command('revoke <keyId>').description('revoke a key; it stops working at once')).action(async (keyId: string, o: Common) => {
    const r = unwrap(await invoke(dir(o), 'keys.revoke', { keyId }));
    if (o.json) return printJson({ ...r.record, alreadyRevoked: r.alreadyRevoked });
    if (r.alreadyRevoked) return console.log(`${r.record.id} (${r.record.hint}) was already revoked on ${r.record.revokedAt!.slice(0, 10)}; nothing changed.`);
    console.log(`Revoked ${r.record.id} (${r.record.hint}).`);
  });
  withCommon(keys.command('rotate <keyId>').description('replace a key with a new one (same limits); the old one stops at once')).action(async (keyId: string, o: Common) => {
    const r = unwrap(await invoke(dir(o), 'keys.rotate', { keyId }));
    if (o.json) return printJson(r);
    console.log(`Replaced ${keyId} with ${r.record.id}. Copy the new key now — it is not shown again:\n\n  ${r.key}\n`);
  });

  withCommon(program.command('usage [customerId]').description('recent proxy requests (served and refused) and totals per model').option('--limit <n>', 'how many recent requests', positiveInt('--limit'), 20)).action(
    async (customerId: string | undefined, o: Common & { limit: number }) => {
      const r = unwrap(await invoke(dir(o), 'usage.list', { ...(customerId ? { customerId } : {}), limit: o.limit }));
      if (o.json) return printJson(r);
      if (!r.recent.length) return console.log('No requests yet.');
      if (r.byModel.length) {
        console.log(table([['MODEL', 'REQUESTS', 'PROMPT TOK', 'COMPLETION TOK', 'CHARGED', 'UPSTREAM', 'PROFIT'], ...r.byModel.map((m) => [m.model, String(m.requests), String(m.promptTokens), String(m.completionTokens), formatUsd(m.chargeMicro), formatUsd(m.upstreamCostMicro), formatUsd(m.profitMicro)])]));
        console.log('');
      }
      // Refused requests cost nothing; the owner sees why a customer's calls fail.
      if (r.refused.length) console.log(`Refused (not sent upstream, not charged): ${r.refused.map((x) => `${x.requests} × ${x.status} ${x.code}`).join(', ')}\n`);
      console.log(table([['AT', 'CUSTOMER', 'MODEL', 'STATUS', 'TOKENS', 'CHARGED', 'MS'], ...r.recent.map((q) => [q.at.slice(0, 19), q.customerId, q.model || '-', `${q.status} ${q.outcome}`, `${q.promptTokens}+${q.completionTokens}`, formatUsd(q.chargeMicro), String(q.latencyMs)])]));
    },
  );

  const packages = program.command('packages').description('packages for sale (token allowances or USD credit)');
  withCommon(packages.command('import <file>').description("add packages from a JSON file (the seeds' bulk format: an array of {model, tokens, description, …}); all or none")).action(
    async (file: string, o: Common) => {
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new CliError(`no file ${file}: give the path of the packages JSON file`, 2);
        throw new CliError(`cannot read ${file} as JSON: ${(error as Error).message}`, 2);
      }
      if (!Array.isArray(data)) throw new CliError(`${file} must hold a JSON array of packages, e.g. [{"model": "openai/gpt-4o-mini", "tokens": 100000, "description": "…"}]`, 2);
      const r = unwrap(await invoke(dir(o), 'packages.import', { packages: data }));
      if (o.json) return printJson(r.imported);
      console.log(`Imported ${r.imported.length} packages.`);
      if (r.imported.length) printPackages(r.imported);
      if (r.alreadyForSale.length) console.log(`${r.alreadyForSale.length} already for sale with the same definition; not added again (\`arbdesk packages list\` shows them).`);
      if (!r.modelsChecked) console.log('Note: no upstream model catalog is loaded yet, so the model ids were not checked; a package whose model the catalog does not list will stay not for sale.');
      printNotForSale(r.notForSale);
    },
  );
  withCommon(packages.command('list').description('packages with their current price').option('--all', 'include retired packages')).action(async (o: Common & { all?: boolean }) => {
    const r = unwrap(await invoke(dir(o), 'packages.list', { includeRetired: Boolean(o.all) }));
    if (o.json) return printJson(r.packages);
    if (!r.packages.length) return console.log('No packages. Import some with `arbdesk packages import packages.json`.');
    printPackages(r.packages);
    printNotForSale(r.notForSale);
  });
  withCommon(packages.command('retire <packageId>').description('stop selling a package (kept for history)')).action(async (packageId: string, o: Common) => {
    const r = unwrap(await invoke(dir(o), 'packages.retire', { packageId }));
    if (o.json) return printJson({ ...r.package, alreadyRetired: r.alreadyRetired });
    if (r.alreadyRetired) return console.log(`${r.package.id} was already retired on ${r.package.retiredAt!.slice(0, 10)}; nothing changed.`);
    console.log(`Retired ${r.package.id}.`);
  });

  const pricing = program.command('pricing').description('customer prices per model: the markup and per-model overrides');
  withCommon(pricing.command('list').description('upstream cost, your price and margin per model (USD per 1M tokens)').option('--for-sale', 'only models for sale')).action(
    async (o: Common & { forSale?: boolean }) => {
      const r = unwrap(await invoke(dir(o), 'pricing.list'));
      const models = o.forSale ? r.models.filter((m) => m.forSale) : r.models;
      if (o.json) return printJson({ ...r, models });
      console.log(`Markup ${r.markupPercent}% · catalog: ${r.catalog.models} models from ${r.catalog.source}${r.catalog.lastError ? ` (last refresh failed: ${r.catalog.lastError})` : ''}\n`);
      if (!models.length) return console.log('No models yet: connect the upstream (arbdesk config set upstream.apiKey) and check `arbdesk status`.');
      const per = (p: number | null) => (p === null ? '-' : picoToUsdPerMillion(p));
      console.log(
        table([
          ['MODEL', 'COST IN/OUT', 'PRICE IN/OUT', 'RULE', 'FOR SALE'],
          ...models.map((m) => [
            m.id,
            `${per(m.upstreamPromptPico)} / ${per(m.upstreamCompletionPico)}`,
            `${per(m.customerPromptPico)} / ${per(m.customerCompletionPico)}`,
            m.source === 'fixed' ? `fixed${m.belowCost ? ' (BELOW COST)' : ''}` : m.source === 'model-markup' ? `own markup ${(m.markupBps ?? 0) / 100}%` : m.source ?? '-',
            m.forSale ? 'yes' : 'no',
          ]),
        ]),
      );
    },
  );
  withCommon(
    pricing
      .command('set <model>')
      .description("give one model its own price: a markup, or fixed USD per 1M prompt/completion tokens")
      .option('--markup <percent>', 'this model\'s own markup in percent')
      .option('--prompt <usd>', 'fixed price in USD per 1M prompt tokens, e.g. 3.75')
      .option('--completion <usd>', 'fixed price in USD per 1M completion tokens, e.g. 18.75'),
  ).action(async (model: string, o: Common & { markup?: string; prompt?: string; completion?: string }) => {
    let override;
    if (o.markup !== undefined && o.prompt === undefined && o.completion === undefined) override = { markupPercent: Number(o.markup) };
    else if (o.markup === undefined && o.prompt !== undefined && o.completion !== undefined) override = { promptUsdPerMillion: o.prompt, completionUsdPerMillion: o.completion };
    else throw new CliError('give either --markup PERCENT, or both --prompt USD and --completion USD (per 1M tokens)', 2);
    const r = unwrap(await invoke(dir(o), 'pricing.setOverride', { model, override }));
    if (o.json) return printJson(r);
    if (!r.model) return console.log(`Saved the price of ${model}; it is not in the upstream catalog right now, so nothing sells at it yet.`);
    console.log(`${model} now sells at ${picoToUsdPerMillion(r.model.customerPromptPico ?? 0)} / ${picoToUsdPerMillion(r.model.customerCompletionPico ?? 0)} USD per 1M prompt/completion tokens${r.model.belowCost ? ' — BELOW the upstream cost' : ''}.`);
  });
  withCommon(pricing.command('clear <model>').description('back to the global markup for this model')).action(async (model: string, o: Common) => {
    const r = unwrap(await invoke(dir(o), 'pricing.setOverride', { model, override: null }));
    if (o.json) return printJson(r);
    console.log(`${model} follows the global markup again.`);
  });

  const ledger = program.command('ledger').description('the double-entry money journal');
  withCommon(ledger.command('verify').description('check that every transaction balances and balances match the journal')).action(async (o: Common) => {
    const r = unwrap(await invoke(dir(o), 'ledger.verify'));
    if (o.json) return printJson(r);
    if (r.ok) console.log(`Ledger OK: ${r.transactions} transactions balance; ${r.openReservations} reservation(s) in flight.`);
    else {
      console.log(`Ledger problems:\n${r.problems.map((p) => `  - ${p}`).join('\n')}`);
      process.exitCode = 1;
    }
  });
}

function printNotForSale(list: readonly NotForSaleView[]): void {
  if (!list.length) return;
  console.log(`\nNot for sale (${list.length}):`);
  for (const n of list) console.log(`  ${n.packageId}: ${n.why}`);
}

function printPackages(list: PackageView[]): void {
  console.log(
    table([
      ['ID', 'WHAT', 'PRICE', 'UPSTREAM COST', 'VALID', 'DESCRIPTION'],
      ...list.map((p) => [
        p.id,
        p.kind === 'tokens' ? `${p.tokens} tokens of ${p.model}` : `${formatUsd(p.creditMicro ?? 0)} credit`,
        p.priceMicro === null ? 'not for sale' : formatUsd(p.priceMicro),
        p.upstreamCostMicro === null ? '-' : formatUsd(p.upstreamCostMicro),
        p.validityDays ? `${p.validityDays} days` : '-',
        p.retiredAt ? `(retired) ${p.description}` : p.description,
      ]),
    ]),
  );
}
