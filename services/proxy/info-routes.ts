/** GET /v1/models (what this key may use, at the customer's prices) and GET /v1/auth (key status). */
import type { ServerResponse } from 'node:http';
import type { Allowances } from '../allowances/allowances.js';
import type { Customers } from '../customers/customers.js';
import type { KeyRecord } from '../keys/key-store.js';
import type { Ledger } from '../ledger/ledger.js';
import { formatMicro, formatPico } from '../money/units.js';
import { sendJson } from './openai-error.js';
import type { PriceBook } from './ports.js';

export function sendModels(res: ServerResponse, key: KeyRecord, prices: PriceBook): void {
  const allowed = key.allowedModels ? new Set(key.allowedModels) : null;
  const data = prices
    .all()
    .filter((p) => !allowed || allowed.has(p.id))
    .map((p) => ({
      id: p.id,
      object: 'model',
      created: 0,
      owned_by: p.id.includes('/') ? p.id.split('/')[0] : 'arbdesk',
      context_length: p.contextLength,
      max_completion_tokens: p.maxCompletionTokens,
      // USD per token (and per request, when the model has a fee), as decimal strings
      // (OpenRouter's convention), at this customer's price.
      pricing: {
        prompt: formatPico(p.price.promptPico),
        completion: formatPico(p.price.completionPico),
        ...(p.price.requestPico > 0 ? { request: formatPico(p.price.requestPico) } : {}),
      },
    }));
  sendJson(res, 200, { object: 'list', data });
}

export function sendAuth(res: ServerResponse, key: KeyRecord, customers: Customers, ledger: Ledger, allowances: Allowances): void {
  const customer = customers.get(key.customerId);
  const balance = ledger.customerBalance(key.customerId);
  sendJson(res, 200, {
    object: 'key',
    id: key.id,
    hint: key.hint,
    label: key.label,
    customer: customer ? { id: customer.id, name: customer.name } : null,
    balance: { available_usd: formatMicro(balance.availableMicro), held_usd: formatMicro(balance.heldMicro) },
    allowances: allowances
      .list(key.customerId)
      .filter((a) => !a.expired && a.remainingTokens > 0)
      .map((a) => ({ model: a.model, tokens_remaining: a.remainingTokens, tokens_granted: a.grantedTokens, expires_at: a.expiresAt })),
    limits: { requests_per_minute: key.rpm, tokens_per_minute: key.tpm, concurrent_requests: key.maxConcurrent },
    allowed_models: key.allowedModels,
    expires_at: key.expiresAt,
  });
}
