import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCheck, IconEye, IconX } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import type { ModelPriceView, PackagePricePreview } from '../../../services/contract';
import { api } from '../../api';
import { formatAgo, formatUsd } from '../../components/format';
import { LoadError, Loading } from '../../components/LoadState';
import { PageTitle } from '../../components/PageTitle';
import { useNow } from '../../components/useNow';
import { describeOverride, draftCount, parseMarkup, type OverrideDraft, type PriceDrafts } from './model';
import { ModelsTable } from './ModelsTable';
import { PackagesTable } from './PackagesTable';
import { usePackagesData, usePreview, type PricingList } from './usePackagesData';

type Outcome = { kind: 'ok'; message: string; lines: string[] } | { kind: 'error'; message: string } | null;

/**
 * The global markup and the Save / Discard of all pricing drafts. Drafts are previewed by the
 * host as they are typed; Save writes the markup setting and the overrides, and the host
 * reprices the packages before answering.
 */
function PricingBar({
  pricing,
  drafts,
  setDrafts,
  previewState,
  onSaved,
}: {
  pricing: PricingList;
  drafts: PriceDrafts;
  setDrafts: (d: PriceDrafts) => void;
  previewState: 'none' | 'loading' | 'ready' | 'error';
  onSaved: (lines: string[]) => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const markupText = drafts.markup ?? String(pricing.markupPercent);
  const markup = parseMarkup(markupText);
  const count = draftCount(drafts, pricing.markupPercent);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!markup.ok || count === 0) return;
    setBusy(true);
    setError(null);
    const lines: string[] = [];
    if (markup.value !== pricing.markupPercent) {
      const r = await api.invoke('settings.update', { changes: { 'pricing.markupPercent': markup.value } });
      if (!r.ok) {
        setBusy(false);
        setError(r.error.message);
        return;
      }
      const hidden = r.value.shadowed.find((s) => s.key === 'pricing.markupPercent');
      lines.push(`Markup ${pricing.markupPercent} % → ${markup.value} %.`);
      if (hidden) lines.push(`Saved in the config file, but ${hidden.name} (${hidden.by}) still sets the markup in force: remove it to use the new value.`);
    }
    for (const [model, override] of Object.entries(drafts.overrides)) {
      const r = await api.invoke('pricing.setOverride', { model, override });
      if (!r.ok) {
        setBusy(false);
        setError(`${lines.length ? `${lines.join(' ')} Then: ` : ''}${model}: ${r.error.message}`);
        await onSaved([]);
        return;
      }
      lines.push(`${model}: ${describeOverride(override)}.`);
    }
    setBusy(false);
    await onSaved(lines);
  };

  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={(e: FormEvent) => void save(e)} noValidate aria-labelledby="pricing-title" data-testid="pricing-form">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
        <Group align="flex-end" gap="md" wrap="wrap">
          <div>
            <Title order={2} size="h4" id="pricing-title">
              Pricing
            </Title>
            <Text size="xs" c="dimmed" maw={420}>
              Customer price = upstream price × (1 + markup), rounded up. Per-model prices (Set price…) beat the markup. Changes are previewed below; nothing changes until you save.
            </Text>
          </div>
          <TextInput
            label="Global markup (%)"
            value={markupText}
            onChange={(e) => setDrafts({ ...drafts, markup: e.currentTarget.value })}
            error={markup.ok ? undefined : markup.message}
            inputMode="decimal"
            w={170}
            data-testid="markup-input"
          />
        </Group>
        <Group gap="sm">
          {count > 0 ? (
            <Text size="sm" c="blue" data-testid="preview-state">
              <IconEye size={14} aria-hidden style={{ verticalAlign: -2 }} />{' '}
              {previewState === 'loading' ? 'Previewing…' : previewState === 'error' ? 'Preview failed' : `Previewing ${count} unsaved change${count === 1 ? '' : 's'}`}
            </Text>
          ) : null}
          <Button variant="default" disabled={count === 0 || busy} onClick={() => setDrafts({ overrides: {} })} data-testid="pricing-discard">
            Discard
          </Button>
          <Button type="submit" disabled={count === 0 || !markup.ok} loading={busy} data-testid="pricing-save">
            Save prices
          </Button>
        </Group>
      </Group>
      {error ? (
        <Alert color="red" icon={<IconX aria-hidden />} role="alert" mt="sm" p="xs" data-testid="pricing-error">
          {error}
        </Alert>
      ) : null}
    </Paper>
  );
}

/** Its own component: the relative time re-renders it every second, not the screen. */
function CatalogSummary({ catalog }: { catalog: PricingList['catalog'] }) {
  const now = useNow();
  return (
    <Text size="sm" c="dimmed" mt={4} data-testid="catalog-summary">
      {catalog.models} model{catalog.models === 1 ? '' : 's'} in the upstream catalog{catalog.source === 'file' ? ' (saved copy: the upstream was not reached yet)' : ''}
      {catalog.lastSuccessAt ? `, refreshed ${formatAgo(catalog.lastSuccessAt, now)}` : ''}
      {catalog.lastError ? ` · last refresh failed: ${catalog.lastError}` : ''}
    </Text>
  );
}

/** The Packages screen: the catalog with cost, price and margin; pricing with a live preview; the packages. */
export function PackagesPage() {
  const { pricing, packages, reload } = usePackagesData();
  const [drafts, setDrafts] = useState<PriceDrafts>({ overrides: {} });
  const [generation, setGeneration] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const preview = usePreview(drafts, generation);

  const modelPreview = useMemo(() => (preview?.state === 'ready' ? new Map<string, ModelPriceView>(preview.value.models.map((m) => [m.id, m])) : null), [preview]);
  const packagePreview = useMemo(() => (preview?.state === 'ready' ? new Map<string, PackagePricePreview>(preview.value.packages.map((p) => [p.id, p])) : null), [preview]);
  const modelIds = useMemo(() => (pricing.state === 'ready' ? pricing.value.models.filter((m) => m.forSale).map((m) => m.id) : []), [pricing]);

  const setDraft = (id: string, draft: OverrideDraft) => {
    const current = pricing.state === 'ready' ? pricing.value.models.find((m) => m.id === id) : undefined;
    const overrides = { ...drafts.overrides };
    if (draft === null && !current?.hasOverride) delete overrides[id];
    else overrides[id] = draft;
    setDrafts({ ...drafts, overrides });
  };

  const saved = async (lines: string[]) => {
    const before = new Map(packages.state === 'ready' ? packages.value.map((p) => [p.id, p.priceMicro]) : []);
    const [k] = await Promise.all([api.invoke('packages.list', { includeRetired: true }), reload()]);
    setDrafts({ overrides: {} });
    setGeneration((g) => g + 1);
    if (!lines.length) return;
    const moved = k.ok ? k.value.packages.filter((p) => p.retiredAt === null && before.has(p.id) && before.get(p.id) !== p.priceMicro) : [];
    setOutcome({
      kind: 'ok',
      message: `Saved. ${moved.length ? `${moved.length} package price${moved.length === 1 ? '' : 's'} changed.` : 'No package price changed.'}`,
      lines: [
        ...lines,
        ...moved.slice(0, 10).map((p) => `${p.description}: ${before.get(p.id) == null ? '—' : formatUsd(before.get(p.id)!)} → ${p.priceMicro === null ? 'not for sale' : formatUsd(p.priceMicro)}`),
      ],
    });
  };

  const catalog = pricing.state === 'ready' ? pricing.value.catalog : null;
  return (
    <Stack gap="lg">
      <div>
        <PageTitle>Packages and pricing</PageTitle>
        {catalog ? <CatalogSummary catalog={catalog} /> : null}
      </div>

      {pricing.state === 'loading' ? <Loading label="Loading prices…" /> : null}
      {pricing.state === 'error' ? <LoadError title="Could not load prices" message={pricing.message} retry={() => void reload()} /> : null}

      {outcome?.kind === 'ok' ? (
        <Alert color="teal" icon={<IconCheck aria-hidden />} role="status" withCloseButton closeButtonLabel="Dismiss" onClose={() => setOutcome(null)} data-testid="pricing-saved" title={outcome.message}>
          {outcome.lines.map((l, i) => (
            <Text key={i} size="sm">
              {l}
            </Text>
          ))}
        </Alert>
      ) : null}

      {pricing.state === 'ready' ? (
        <PricingBar
          pricing={pricing.value}
          drafts={drafts}
          setDrafts={(d) => {
            setOutcome(null);
            setDrafts(d);
          }}
          previewState={preview === null ? 'none' : preview.state === 'loading' ? 'loading' : preview.state}
          onSaved={saved}
        />
      ) : null}
      {preview?.state === 'error' ? <LoadError title="Could not preview the prices" message={preview.message} /> : null}

      {packages.state === 'loading' ? <Loading label="Loading packages…" /> : null}
      {packages.state === 'error' ? <LoadError title="Could not load packages" message={packages.message} retry={() => void reload()} /> : null}
      {packages.state === 'ready' ? <PackagesTable packages={packages.value} preview={packagePreview} models={modelIds} onChanged={() => void reload()} /> : null}

      {pricing.state === 'ready' ? (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="models-title">
          <Title order={2} size="h4" id="models-title" mb="xs">
            Models
          </Title>
          <ModelsTable models={pricing.value.models} preview={modelPreview} drafts={drafts.overrides} onDraft={setDraft} />
        </Paper>
      ) : null}
    </Stack>
  );
}
