/**
 * The owner's package definitions: the seeds' bulk JSON (an array of
 * `{ model, tokens, description, category_id?, subcategory_id? }`), plus `validity_days` and
 * USD-credit packages `{ usd_credit, description, … }`. Validation reports every problem of
 * every item, numbered from 1 as the owner counts: "item 3: tokens must be a positive whole
 * number". Unknown fields are errors, so a typo ("token", "validity_day") is not silently ignored.
 */
import { z } from 'zod';
import { usdToMicro } from '../money/units.js';

interface PackageCommon {
  description: string;
  categoryId: number | null;
  subcategoryId: number | null;
  /** Days the purchase stays usable; null = no expiry. */
  validityDays: number | null;
}

/** A token allowance for one model. */
export interface TokenPackageSpec extends PackageCommon {
  kind: 'tokens';
  model: string;
  tokens: number;
}

/** Account credit in µUSD, spent at the customer prices on any allowed model. */
export interface CreditPackageSpec extends PackageCommon {
  kind: 'credit';
  creditMicro: number;
}

export type PackageSpec = TokenPackageSpec | CreditPackageSpec;

export type PackagesParseResult = { ok: true; packages: PackageSpec[] } | { ok: false; errors: string[] };

const MAX_TOKENS = 1_000_000_000_000;
const MAX_CREDIT_USD = 1_000_000;
const MAX_ITEMS = 10_000;

const missingOr = (message: string) => (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : message);

const positiveWhole = (max: number, message: string) =>
  z.number({ error: missingOr(message) }).int({ error: message }).min(1, { error: message }).max(max, { error: `must be at most ${max}` });

const optionalId = z
  .number({ error: 'must be a positive whole number or null' })
  .int({ error: 'must be a positive whole number or null' })
  .min(1, { error: 'must be a positive whole number or null' })
  .nullable()
  .optional();

const common = {
  description: z
    .string({ error: missingOr('must be text') })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(500, { error: 'must be at most 500 characters' }),
  category_id: optionalId,
  subcategory_id: optionalId,
  validity_days: positiveWhole(36_500, 'must be a positive whole number of days').nullable().optional(),
};

const tokenItem = z.strictObject({
  model: z
    .string({ error: missingOr('must be a model id such as "openai/gpt-4o-mini"') })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' }),
  tokens: positiveWhole(MAX_TOKENS, 'must be a positive whole number'),
  ...common,
});

const usdAmount = z.union([z.string(), z.number()], { error: missingOr('must be a USD amount such as "10.00"') }).transform((value, ctx) => {
  const text = String(value).trim();
  let micro: number;
  try {
    if (!/^\d+(\.\d+)?$/.test(text)) throw new Error();
    micro = usdToMicro(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a USD amount such as "10.00"' });
    return z.NEVER;
  }
  if (micro <= 0) {
    ctx.addIssue({ code: 'custom', message: 'must be more than 0' });
    return z.NEVER;
  }
  if (micro > MAX_CREDIT_USD * 1_000_000) {
    ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_CREDIT_USD}` });
    return z.NEVER;
  }
  return micro;
});

const creditItem = z.strictObject({ usd_credit: usdAmount, ...common });

/** Validates parsed JSON (the array). */
export function validatePackages(data: unknown): PackagesParseResult {
  if (!Array.isArray(data)) return { ok: false, errors: ['the file must contain a JSON array of packages: [ { "model": …, "tokens": …, "description": … }, … ]'] };
  if (data.length === 0) return { ok: false, errors: ['the array has no packages'] };
  if (data.length > MAX_ITEMS) return { ok: false, errors: [`at most ${MAX_ITEMS} packages per file`] };
  const errors: string[] = [];
  const packages: PackageSpec[] = [];
  data.forEach((item, index) => {
    const label = `item ${index + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push(`${label}: must be an object such as { "model": "openai/gpt-4o-mini", "tokens": 100000, "description": "…" }`);
      return;
    }
    const isCredit = 'usd_credit' in item;
    if (isCredit && ('model' in item || 'tokens' in item)) {
      errors.push(`${label}: give either "model" and "tokens" (a token package) or "usd_credit" (a credit package), not both`);
      return;
    }
    const result = (isCredit ? creditItem : tokenItem).safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) errors.push(`${label}: ${describeIssue(issue)}`);
      return;
    }
    const d = result.data as z.infer<typeof tokenItem> | z.infer<typeof creditItem>;
    const base = {
      description: d.description,
      categoryId: d.category_id ?? null,
      subcategoryId: d.subcategory_id ?? null,
      validityDays: d.validity_days ?? null,
    };
    packages.push('usd_credit' in d ? { kind: 'credit', creditMicro: d.usd_credit, ...base } : { kind: 'tokens', model: d.model, tokens: d.tokens, ...base });
  });
  return errors.length ? { ok: false, errors } : { ok: true, packages };
}

/** Parses and validates the text of a bulk package file. */
export function parsePackagesJson(text: string): PackagesParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, errors: [`not valid JSON: ${(error as Error).message}`] };
  }
  return validatePackages(data);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `unknown field "${k}"`).join(', ') + ' (allowed: model, tokens, usd_credit, description, category_id, subcategory_id, validity_days)';
  }
  const field = issue.path.map(String).join('.');
  return field ? `${field} ${issue.message}` : issue.message;
}
