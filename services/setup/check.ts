/**
 * The first-run checklist's tests (`setup.check`): each step of the owner's setup is tried the
 * way the service that uses it will use it, and answered in one line that says what was found
 * or what to do next.
 *
 *   telegram.token          GET <telegram.apiRoot>/bot<token>/getMe → "token valid: @MyShopBot"
 *   upstream.apiKey         GET <upstream.baseUrl>/credits and /key (OpenRouter) with the key
 *   upstream.baseUrl        GET <url>/models (public on OpenRouter) → how many models it lists
 *   payments.*.xpub         parsed (private keys refused), first receive address derived
 *   payments.btc.esploraUrl GET <url>/blocks/tip/height
 *   payments.eth.rpcUrl     eth_chainId, compared with payments.eth.chainId
 *   pricing.markupPercent   a number from 0 to 1000; 0 sells at cost
 *   proxy.publicUrl         a well-formed https:// URL (not fetched: it faces the internet)
 *
 * Every network call gives up after `timeoutMs` (5 s). A secret never appears in an answer:
 * messages are built here from status codes, and scrubbed of the value once more at the end.
 */
import type { SetupCheckResult, SetupItem } from '../contract-views.js';
import type { Settings } from '../config/schema.js';
import { settingDefs } from '../config/schema.js';
import { parseBtcAccountKey, parseEthAccountKey, ExtendedKeyError, type BtcNetwork } from '../payments/crypto/derive.js';
import { EvmRpc } from '../payments/crypto/evm-rpc.js';
import { httpGetText, safeOrigin } from '../payments/crypto/http.js';
import { UpstreamClient, UpstreamError } from '../upstream/index.js';
import { formatUsd, usdToMicro } from '../money/units.js';

export interface SetupCheckDeps {
  settings: () => Settings;
  /** Default 5000 ms. */
  timeoutMs?: number;
}

type Outcome = Omit<SetupCheckResult, 'item' | 'tested' | 'ok'>;

const done = (message: string): Outcome => ({ state: 'done', message });
const todo = (message: string): Outcome => ({ state: 'todo', message });
const problem = (message: string): Outcome => ({ state: 'problem', message });

/** Runs one check. `value` is what the owner typed (not saved yet); without it the saved value is tested. */
export async function runSetupCheck(item: SetupItem, value: string | undefined, deps: SetupCheckDeps): Promise<SetupCheckResult> {
  const s = deps.settings();
  const timeoutMs = deps.timeoutMs ?? 5000;
  const typed = value !== undefined;
  const raw = typed ? value : String(s[item] ?? '');
  const text = raw.trim();
  let outcome: Outcome;
  try {
    outcome = await CHECKS[item](text, s, timeoutMs);
  } catch (error) {
    outcome = problem(`the check failed unexpectedly: ${(error as Error).message}`);
  }
  // Belt and braces: a secret the owner typed never comes back, whatever a library put in a message.
  let message = outcome.message;
  if (settingDefs[item].secret && text.length >= 6) message = message.split(text).join('••••');
  return { item, state: outcome.state, ok: outcome.state === 'done', message, tested: typed ? 'typed' : 'saved' };
}

type Check = (value: string, s: Settings, timeoutMs: number) => Promise<Outcome>;

function timedOut(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function networkWhy(error: unknown): string {
  const e = error as Error & { cause?: { code?: string } };
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'the connection was refused (nothing listens there)';
  if (code === 'ENOTFOUND') return 'the host name is unknown (check the spelling)';
  return code ?? e.message.split('\n')[0] ?? 'network error';
}

/** Validates with the setting's own schema; returns its message or null. */
function schemaProblem(item: SetupItem, value: unknown): string | null {
  const parsed = settingDefs[item].schema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'is not valid');
}

const CHECKS: Record<SetupItem, Check> = {
  async 'telegram.token'(token, s, timeoutMs) {
    if (!token) return todo('Create a bot with @BotFather in Telegram (/newbot) and paste the token it gives you.');
    const bad = schemaProblem('telegram.token', token);
    if (bad) return problem(`The token ${bad}: copy it again from @BotFather (it looks like 123456789:AAE…).`);
    const root = s['telegram.apiRoot'].replace(/\/+$/, '');
    let res: Response;
    try {
      res = await fetch(`${root}/bot${token}/getMe`, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if (timedOut(error)) return problem(`The Telegram Bot API at ${safeOrigin(root)} did not answer within ${timeoutMs / 1000} s: check the internet connection (or telegram.apiRoot) and try again.`);
      return problem(`Cannot reach the Telegram Bot API at ${safeOrigin(root)}: ${networkWhy(error)}. Check the internet connection or telegram.apiRoot.`);
    }
    if (res.status === 401 || res.status === 404) {
      return problem('Telegram rejected this token (401 Unauthorized): copy it again from @BotFather, or /revoke and make a new one.');
    }
    const body = (await res.json().catch(() => null)) as { ok?: boolean; result?: { username?: string; first_name?: string } } | null;
    if (!res.ok || !body?.ok || !body.result) return problem(`The Telegram Bot API answered HTTP ${res.status}: try again in a minute.`);
    const name = body.result.username ? `@${body.result.username}` : (body.result.first_name ?? 'your bot');
    return done(`token valid: ${name}`);
  },

  async 'upstream.apiKey'(key, s, timeoutMs) {
    if (!key) return todo('Create an API key at https://openrouter.ai/keys (or your upstream) and paste it here.');
    const client = new UpstreamClient({ baseUrl: s['upstream.baseUrl'], apiKey: key, connectTimeoutMs: timeoutMs, jsonTimeoutMs: timeoutMs, retryDelaysMs: [] });
    const base = safeOrigin(s['upstream.baseUrl']);
    try {
      const credit = await withTimeout(client.fetchCredits({ signal: AbortSignal.timeout(timeoutMs) }), timeoutMs);
      if (credit.sources.length === 0) return done(`${base} answered, but it has no key or credits endpoint, so the key itself could not be verified: send a test request through the proxy.`);
      if (credit.remainingMicro === null) return done('key valid (no spend limit reported)');
      const threshold = usdToMicro(s['upstream.lowCreditUsd']);
      const left = formatUsd(credit.remainingMicro);
      if (credit.remainingMicro <= 0) return problem(`key valid, but no credit is left (${left}): top up at https://openrouter.ai/credits before selling.`);
      return done(credit.remainingMicro < threshold ? `key valid: ${left} credit left — below your low-credit alert, top up soon` : `key valid: ${left} credit left`);
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'upstream_status') {
        if (error.status === 401 || error.status === 403) return problem(`${base} refused this key (${error.status}): copy it again from https://openrouter.ai/keys, or check upstream.baseUrl.`);
        return problem(`${base} answered HTTP ${error.status}: check upstream.baseUrl and try again.`);
      }
      if (timedOut(error) || (error instanceof UpstreamError && error.kind === 'timeout')) return problem(`${base} did not answer within ${timeoutMs / 1000} s: check the internet connection or upstream.baseUrl.`);
      return problem(`Cannot reach ${base}: ${(error as Error).message.split('\n')[0]}. Check upstream.baseUrl.`);
    } finally {
      void client.destroy().catch(() => undefined);
    }
  },

  async 'upstream.baseUrl'(url, s, timeoutMs) {
    if (!url) return todo('Enter the upstream base URL: https://openrouter.ai/api/v1 for OpenRouter.');
    const bad = schemaProblem('upstream.baseUrl', url);
    if (bad) return problem(`The URL ${bad}, such as https://openrouter.ai/api/v1.`);
    const client = new UpstreamClient({ baseUrl: url, apiKey: s['upstream.apiKey'], connectTimeoutMs: timeoutMs, jsonTimeoutMs: timeoutMs, retryDelaysMs: [] });
    try {
      const answer = await withTimeout(client.getJson('/models', 'listing models', { signal: AbortSignal.timeout(timeoutMs) }), timeoutMs);
      const data = (answer.json as { data?: unknown } | null)?.data;
      if (!Array.isArray(data)) return problem(`${safeOrigin(url)} answered, but not with a model list: is this an OpenAI-compatible base URL (ending in /v1)?`);
      return done(`reachable: ${data.length} models listed`);
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'upstream_status') {
        if (error.status === 404) return problem(`${safeOrigin(url)} has no /models here (404): the base URL usually ends in /v1 (OpenRouter: https://openrouter.ai/api/v1).`);
        if (error.status === 401 || error.status === 403) return problem(`${safeOrigin(url)} wants a key to list models (${error.status}): set upstream.apiKey first.`);
        return problem(`${safeOrigin(url)} answered HTTP ${error.status}: check the URL and try again.`);
      }
      if (timedOut(error) || (error instanceof UpstreamError && error.kind === 'timeout')) return problem(`${safeOrigin(url)} did not answer within ${timeoutMs / 1000} s: check the URL and the internet connection.`);
      return problem(`Cannot reach ${safeOrigin(url)}: ${(error as Error).message.split('\n')[0]}. Check the URL.`);
    } finally {
      void client.destroy().catch(() => undefined);
    }
  },

  async 'payments.btc.xpub'(key, s) {
    if (!key) return todo('Optional: to take Bitcoin, export the account zpub of a BIP84 "Native SegWit" account from your wallet (Sparrow, Ledger Live …) and paste it here.');
    try {
      const network = s['payments.btc.network'];
      const account = parseBtcAccountKey(key, network === 'auto' ? {} : { network: network as BtcNetwork });
      return done(`${account.keyPrefix} on ${account.network}; first receive address ${account.addressAt(0)} — check it matches your wallet`);
    } catch (error) {
      if (error instanceof ExtendedKeyError) return problem(error.message);
      throw error;
    }
  },

  async 'payments.eth.xpub'(key) {
    if (!key) return todo("Optional: to take ETH and tokens, export the xpub of your account m/44'/60'/0' and paste it here.");
    try {
      const account = parseEthAccountKey(key);
      return done(`first receive address ${account.addressAt(0).checksummed} — check it matches your wallet`);
    } catch (error) {
      if (error instanceof ExtendedKeyError) return problem(error.message);
      throw error;
    }
  },

  async 'payments.btc.esploraUrl'(url, _s, timeoutMs) {
    if (!url) return todo('Optional (with a Bitcoin zpub): an Esplora API to watch payments, e.g. https://blockstream.info/api or your own.');
    const bad = schemaProblem('payments.btc.esploraUrl', url);
    if (bad) return problem(`The URL ${bad}, such as https://blockstream.info/api.`);
    try {
      const text = await httpGetText(url, '/blocks/tip/height', { service: 'Esplora', timeoutMs });
      const height = Number(text.trim());
      if (!Number.isInteger(height) || height < 0) return problem(`${safeOrigin(url)} answered, but not with a block height: is this an Esplora API URL (e.g. ending in /api)?`);
      return done(`reachable: chain tip at block ${height}`);
    } catch (error) {
      return problem(`${(error as Error).message}. Check the URL (Blockstream's is https://blockstream.info/api).`);
    }
  },

  async 'payments.eth.rpcUrl'(url, s, timeoutMs) {
    if (!url) return todo('Optional (with an Ethereum xpub): a JSON-RPC URL of your node or a provider to watch payments.');
    const bad = schemaProblem('payments.eth.rpcUrl', url);
    if (bad) return problem(`The URL ${bad}.`);
    const rpc = new EvmRpc(url, s['payments.eth.chainId'], timeoutMs);
    try {
      const chainId = await withTimeout(rpc.chainId(), timeoutMs);
      const want = s['payments.eth.chainId'];
      if (chainId !== want) return problem(`the node is on chain ${chainId}, but payments.eth.chainId is ${want}: use a node of chain ${want}, or change payments.eth.chainId.`);
      return done(`reachable: chain id ${chainId}`);
    } catch (error) {
      if (timedOut(error)) return problem(`Ethereum RPC ${safeOrigin(url)} did not answer within ${timeoutMs / 1000} s: check the URL.`);
      return problem(`${(error as Error).message}. Check the URL.`);
    } finally {
      rpc.destroy();
    }
  },

  async 'pricing.markupPercent'(text) {
    if (!text) return todo('Enter your markup over the upstream price, in percent (25 means customers pay 1.25× your cost).');
    const n = Number(text);
    const bad = Number.isFinite(n) ? schemaProblem('pricing.markupPercent', n) : 'must be a number';
    if (bad) return problem(`The markup ${bad} (e.g. 25).`);
    if (n === 0) return problem('A markup of 0 sells at cost: you earn nothing on usage. Enter e.g. 25.');
    return done(`${n} %: customers pay ${(1 + n / 100).toFixed(2).replace(/\.?0+$/, '')}× your upstream cost`);
  },

  async 'proxy.publicUrl'(url) {
    return checkPublicUrl(url);
  },
};

/** The proxy's public URL, checked without fetching it (also `arbdesk config set`'s note). */
export function checkPublicUrl(url: string): Outcome {
  if (!url) return todo('Enter the public https:// address customers use to reach your proxy (your tunnel or reverse proxy), e.g. https://ai.example.com/v1.');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return problem('This is not a URL: write it in full, e.g. https://ai.example.com/v1.');
  }
  if (parsed.protocol !== 'https:') return problem(`Customers' programs send their keys to this address: use https:// (not ${parsed.protocol}//) through a tunnel or reverse proxy with TLS.`);
  if (parsed.username || parsed.password) return problem('Leave user names and passwords out of the public URL.');
  if (parsed.search || parsed.hash) return problem('The public URL is a base URL: leave out ?query and #fragment.');
  if (!parsed.hostname.includes('.') || parsed.hostname === 'localhost') return problem(`${parsed.hostname} is not reachable from the internet: use the public host name of your tunnel or server.`);
  const bad = schemaProblem('proxy.publicUrl', url);
  if (bad) return problem(`The URL ${bad}.`);
  return done(`well formed: customers will use ${parsed.origin}${parsed.pathname.replace(/\/+$/, '')} (not fetched from here)`);
}

/** Rejects with a TimeoutError when `promise` has not settled in `ms` (a second guard besides the signal). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' })), ms + 250);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
