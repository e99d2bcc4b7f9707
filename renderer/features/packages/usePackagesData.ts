import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandInput, CommandOutput, PackageView } from '../../../services/contract';
import { api } from '../../api';
import { useInterval, useOnlineGeneration, type Loaded } from '../customers/live';
import { parseMarkup, type PriceDrafts } from './model';

/** Package prices follow the upstream catalog (refreshed every ~10 min): re-read this often while open. */
const REFRESH_MS = 15_000;
/** Wait this long after the last keystroke before asking the host for a preview. */
const PREVIEW_DEBOUNCE_MS = 200;

export type PricingList = CommandOutput<'pricing.list'>;
export type Preview = CommandOutput<'pricing.preview'>;

/** The catalog with prices, and every package (retired too), re-read on a timer and when the host is back. */
export function usePackagesData(): { pricing: Loaded<PricingList>; packages: Loaded<PackageView[]>; reload: () => Promise<void> } {
  const [pricing, setPricing] = useState<Loaded<PricingList>>({ state: 'loading' });
  const [packages, setPackages] = useState<Loaded<PackageView[]>>({ state: 'loading' });
  const online = useOnlineGeneration();

  const reload = useCallback(async () => {
    const [p, k] = await Promise.all([api.invoke('pricing.list'), api.invoke('packages.list', { includeRetired: true })]);
    if (p.ok) setPricing({ state: 'ready', value: p.value });
    else setPricing((c) => (c.state === 'ready' ? c : { state: 'error', message: p.error.message, code: p.error.code }));
    if (k.ok) setPackages({ state: 'ready', value: k.value.packages });
    else setPackages((c) => (c.state === 'ready' ? c : { state: 'error', message: k.error.message, code: k.error.code }));
  }, []);

  useEffect(() => {
    void reload();
  }, [reload, online]);
  useInterval(() => void reload(), REFRESH_MS);
  return { pricing, packages, reload };
}

/** The preview input for the drafts; null when there is nothing to preview (or the markup typed is not valid). */
export function previewInput(drafts: PriceDrafts): CommandInput<'pricing.preview'> | null {
  const input: CommandInput<'pricing.preview'> = {};
  if (drafts.markup !== undefined) {
    const m = parseMarkup(drafts.markup);
    if (!m.ok) return null;
    input.markupPercent = m.value;
  }
  if (Object.keys(drafts.overrides).length) input.overrides = drafts.overrides;
  return Object.keys(input).length ? input : null;
}

/**
 * The host's prices under the drafts (`pricing.preview`), re-asked shortly after each change;
 * answers to older drafts are dropped. `null` while there is nothing to preview.
 */
export function usePreview(drafts: PriceDrafts, generation: number): Loaded<Preview> | null {
  const [preview, setPreview] = useState<Loaded<Preview> | null>(null);
  const ask = useRef(0);
  const key = JSON.stringify(previewInput(drafts));
  useEffect(() => {
    const input = JSON.parse(key) as CommandInput<'pricing.preview'> | null;
    const mine = ++ask.current;
    if (input === null) {
      setPreview(null);
      return undefined;
    }
    const timer = setTimeout(() => {
      void api.invoke('pricing.preview', input).then((r) => {
        if (mine !== ask.current) return;
        setPreview(r.ok ? { state: 'ready', value: r.value } : { state: 'error', message: r.error.message, code: r.error.code });
      });
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, generation]);
  return preview;
}
