/**
 * The Packages screen's pure logic: price formatting per million tokens, margins, searching and
 * sorting the catalog, the owner's override drafts and the package form. Prices themselves are
 * never computed here — the host does it (`pricing.preview`), so preview and real prices agree.
 */
import type { CommandInput, ModelPriceView, PackageView } from '../../../services/contract';
import { formatCount, formatUsd } from '../../components/format';

export type OverrideInput = NonNullable<CommandInput<'pricing.setOverride'>['override']>;

/** pUSD per token is exactly µUSD per million tokens: 3 000 000 → "$3.00". */
export function perMillion(pico: number | null): string {
  return pico === null ? '—' : formatUsd(pico);
}

/**
 * The margin on a model's blended price (average of prompt and completion), in basis points of
 * the customer's price: 25 % markup → 2000 bps (20 % of what the customer pays). Null when the
 * cost or the price is unknown.
 */
export function marginBps(m: Pick<ModelPriceView, 'upstreamPromptPico' | 'upstreamCompletionPico' | 'customerPromptPico' | 'customerCompletionPico'>): number | null {
  if (m.upstreamPromptPico === null || m.upstreamCompletionPico === null || m.customerPromptPico === null || m.customerCompletionPico === null) return null;
  const price = m.customerPromptPico + m.customerCompletionPico;
  if (price === 0) return null;
  return Math.round(((price - m.upstreamPromptPico - m.upstreamCompletionPico) * 10_000) / price);
}

/** 2000 → "20.0 %", −150 → "−1.5 %". */
export function formatBps(bps: number | null): string {
  if (bps === null) return '—';
  const text = (Math.abs(bps) / 100).toFixed(1);
  return `${bps < 0 ? '\u2212' : ''}${text} %`;
}

/** What sets a model's price, in words. */
export function sourceLabel(m: Pick<ModelPriceView, 'source' | 'markupBps'>): string {
  if (m.source === 'fixed') return 'fixed price';
  if (m.source === 'model-markup') return `own markup ${formatBps(m.markupBps)}`;
  if (m.source === 'markup') return `markup ${formatBps(m.markupBps)}`;
  return 'not for sale';
}

export type ModelSortKey = 'id' | 'upstream' | 'price' | 'margin';
export interface ModelSort {
  key: ModelSortKey;
  direction: 'asc' | 'desc';
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const blendedUpstream = (m: ModelPriceView) => (m.upstreamPromptPico === null || m.upstreamCompletionPico === null ? null : m.upstreamPromptPico + m.upstreamCompletionPico);
const blendedPrice = (m: ModelPriceView) => (m.customerPromptPico === null || m.customerCompletionPico === null ? null : m.customerPromptPico + m.customerCompletionPico);

/** Every word must appear in the id or the name (case ignored). */
export function searchModels(models: readonly ModelPriceView[], query: string): ModelPriceView[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return models.slice();
  return models.filter((m) => {
    const hay = `${m.id} ${m.name}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** Sorted by the key; models without a figure come last whichever the direction; ties by id. */
export function sortModels(models: readonly ModelPriceView[], sort: ModelSort): ModelPriceView[] {
  const figure = (m: ModelPriceView): number | null =>
    sort.key === 'upstream' ? blendedUpstream(m) : sort.key === 'price' ? blendedPrice(m) : sort.key === 'margin' ? marginBps(m) : null;
  const sign = sort.direction === 'asc' ? 1 : -1;
  return models.slice().sort((a, b) => {
    if (sort.key === 'id') return sign * collator.compare(a.id, b.id);
    const fa = figure(a);
    const fb = figure(b);
    if ((fa === null) !== (fb === null)) return fa === null ? 1 : -1;
    return (fa !== null && fb !== null ? sign * (fa - fb) : 0) || collator.compare(a.id, b.id);
  });
}

export function nextModelSort(current: ModelSort, key: ModelSortKey): ModelSort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: key === 'id' ? 'asc' : 'desc' };
}

// ---------------------------------------------------------------------------------------------
// Price drafts: what the owner is changing before Save.

/** A model's draft: back to the global markup (null = remove the override), or a new override. */
export type OverrideDraft = OverrideInput | null;

export interface PriceDrafts {
  /** The markup as typed, percent; undefined = unchanged. */
  markup?: string;
  overrides: Record<string, OverrideDraft>;
}

/** "25", "12.5" → a number within the setting's limits; anything else says why. */
export function parseMarkup(text: string): { ok: true; value: number } | { ok: false; message: string } {
  const s = text.trim().replace(/%$/, '').trim();
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(s)) return { ok: false, message: 'Enter a percentage such as 25 or 12.5 (up to 2 decimals).' };
  const value = Number(s);
  if (value > 1000) return { ok: false, message: 'The markup can be at most 1000 %.' };
  return { ok: true, value };
}

/** A USD-per-1M price typed by the owner: "3.75" (up to 6 decimals). */
export function parsePerMillion(text: string): { ok: true; value: string } | { ok: false; message: string } {
  const s = text.trim().replace(/^\$/, '');
  if (!/^\d{1,6}(\.\d{1,6})?$/.test(s)) return { ok: false, message: 'Enter USD per 1M tokens, such as 3.75.' };
  return { ok: true, value: s };
}

/** The override in words, for the table and the save summary. */
export function describeOverride(o: OverrideDraft): string {
  if (o === null) return 'global markup';
  if ('markupPercent' in o) return `own markup ${o.markupPercent} %`;
  return `fixed $${o.promptUsdPerMillion} / $${o.completionUsdPerMillion} per 1M`;
}

/** How many changes Save would make. */
export function draftCount(d: PriceDrafts, currentMarkup: number | null): number {
  const markup = d.markup !== undefined && parseMarkup(d.markup).ok && (parseMarkup(d.markup) as { value: number }).value !== currentMarkup ? 1 : 0;
  return markup + Object.keys(d.overrides).length;
}

// ---------------------------------------------------------------------------------------------
// The package form.

export interface PackageFormValues {
  kind: 'tokens' | 'credit';
  model: string;
  tokens: string;
  usdCredit: string;
  description: string;
  validityDays: string;
  categoryId: string;
  subcategoryId: string;
}

export type PackageField = 'model' | 'tokens' | 'usdCredit' | 'description' | 'validityDays' | 'categoryId' | 'subcategoryId';

export const EMPTY_PACKAGE_FORM: PackageFormValues = { kind: 'tokens', model: '', tokens: '', usdCredit: '', description: '', validityDays: '', categoryId: '', subcategoryId: '' };

export function formFromPackage(p: PackageView): PackageFormValues {
  const spec = p.spec;
  return {
    kind: spec.kind,
    model: spec.kind === 'tokens' ? spec.model : '',
    tokens: spec.kind === 'tokens' ? String(spec.tokens) : '',
    usdCredit: spec.kind === 'credit' ? formatUsd(spec.creditMicro).replace(/^\$/, '').replace(/,/g, '') : '',
    description: spec.description,
    validityDays: spec.validityDays === null ? '' : String(spec.validityDays),
    categoryId: spec.categoryId === null ? '' : String(spec.categoryId),
    subcategoryId: spec.subcategoryId === null ? '' : String(spec.subcategoryId),
  };
}

const FIELD_OF: Record<string, PackageField> = {
  model: 'model',
  tokens: 'tokens',
  usd_credit: 'usdCredit',
  description: 'description',
  validity_days: 'validityDays',
  category_id: 'categoryId',
  subcategory_id: 'subcategoryId',
};

const wholeOrText = (s: string): number | string => (/^\d+$/.test(s.trim().replace(/[,\s]/g, '')) ? Number(s.trim().replace(/[,\s]/g, '')) : s.trim());

/**
 * The form as one item of the seeds' bulk JSON — the host checks it exactly like an imported
 * item, so the rules live in one place. Blank optional fields are left out.
 */
export function packageItem(v: PackageFormValues): Record<string, unknown> {
  const item: Record<string, unknown> =
    v.kind === 'tokens' ? { model: v.model.trim(), tokens: v.tokens.trim() === '' ? undefined : wholeOrText(v.tokens) } : { usd_credit: v.usdCredit.trim().replace(/^\$/, '') || undefined };
  item.description = v.description;
  if (v.validityDays.trim()) item.validity_days = wholeOrText(v.validityDays);
  if (v.categoryId.trim()) item.category_id = wholeOrText(v.categoryId);
  if (v.subcategoryId.trim()) item.subcategory_id = wholeOrText(v.subcategoryId);
  for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
  return item;
}

/**
 * The host's "package not saved: tokens must be …; description must not be empty" → one message
 * per field (those it cannot place go to `other`).
 */
export function fieldErrors(message: string): { fields: Partial<Record<PackageField, string>>; other: string[] } {
  const fields: Partial<Record<PackageField, string>> = {};
  const other: string[] = [];
  const body = message.replace(/^package not saved:\s*/, '');
  for (const part of body.split(/;\s+/)) {
    const m = /^(\w+) (.*)$/.exec(part);
    const field = m ? FIELD_OF[m[1]!] : undefined;
    if (field && !fields[field]) fields[field] = `${m![2]!.charAt(0).toUpperCase()}${m![2]!.slice(1)}.`;
    else other.push(part);
  }
  return { fields, other };
}

/** "nothing imported: item 3: tokens …; item 6: unknown field …" → one line per problem. */
export function importProblems(message: string): string[] {
  return message
    .replace(/^nothing imported:\s*/, '')
    .split(/;\s+(?=item \d+:)|\s+(?=\(and \d+ more\)$)/)
    .filter(Boolean);
}

/** What a package is, in a few words: "100,000 tokens of openai/gpt-4o-mini", "$10.00 credit". */
export function packageWhat(p: PackageView): string {
  return p.kind === 'tokens' ? `${formatCount(p.tokens ?? 0)} tokens of ${p.model ?? ''}` : `${formatUsd(p.creditMicro ?? 0)} credit`;
}
