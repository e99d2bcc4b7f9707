import { Badge, Button, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconSearch } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import type { ModelPriceView } from '../../../services/contract';
import classes from '../customers/customers.module.css';
import {
  describeOverride,
  formatBps,
  marginBps,
  nextModelSort,
  parseMarkup,
  parsePerMillion,
  perMillion,
  searchModels,
  sortModels,
  sourceLabel,
  type ModelSort,
  type ModelSortKey,
  type OverrideDraft,
} from './model';
import { EmptyRow } from '../../components/EmptyRow';

/** Rows drawn at once; the search finds the rest (OpenRouter lists a few hundred models). */
const MAX_ROWS = 150;

const COLUMNS: { key: ModelSortKey | null; label: string; numeric?: boolean }[] = [
  { key: 'id', label: 'Model' },
  { key: 'upstream', label: 'Upstream cost', numeric: true },
  { key: 'price', label: 'Your price', numeric: true },
  { key: 'margin', label: 'Margin', numeric: true },
  { key: null, label: 'Set by' },
  { key: null, label: '' },
];

function SortHeader({ column, sort, onSort }: { column: (typeof COLUMNS)[number]; sort: ModelSort; onSort: (key: ModelSortKey) => void }) {
  if (column.key === null) return <Table.Th>{column.label}</Table.Th>;
  const key = column.key;
  const active = sort.key === key;
  const Icon = !active ? IconArrowsSort : sort.direction === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <Table.Th aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} className={column.numeric ? classes.numeric : undefined}>
      <UnstyledButton onClick={() => onSort(key)} className={classes.sortButton} data-active={active || undefined}>
        {column.label}
        <Icon size={14} stroke={1.8} aria-hidden className={classes.sortIcon} />
      </UnstyledButton>
    </Table.Th>
  );
}

function PricePair({ prompt, completion }: { prompt: number | null; completion: number | null }) {
  if (prompt === null || completion === null) return <Text span size="sm" c="dimmed">—</Text>;
  return (
    <>
      {perMillion(prompt)} · {perMillion(completion)}
    </>
  );
}

type Mode = 'global' | 'markup' | 'fixed';

/** Edit one model's price: back to the global markup, its own markup, or a fixed price. Goes to the drafts; Save applies. */
function OverrideModal({ model, onApply, onClose }: { model: ModelPriceView | null; onApply: (id: string, draft: OverrideDraft) => void; onClose: () => void }) {
  const [mode, setMode] = useState<Mode>('global');
  const [markup, setMarkup] = useState('');
  const [prompt, setPrompt] = useState('');
  const [completion, setCompletion] = useState('');
  const [errors, setErrors] = useState<{ markup?: string; prompt?: string; completion?: string }>({});
  const [shown, setShown] = useState<string | null>(null);
  if (model && model.id !== shown) {
    setShown(model.id);
    setMode(model.source === 'fixed' ? 'fixed' : model.source === 'model-markup' ? 'markup' : 'global');
    setMarkup(model.source === 'model-markup' && model.markupBps !== null ? String(model.markupBps / 100) : '');
    setPrompt(model.source === 'fixed' && model.customerPromptPico !== null ? perMillion(model.customerPromptPico).replace(/^\$/, '') : '');
    setCompletion(model.source === 'fixed' && model.customerCompletionPico !== null ? perMillion(model.customerCompletionPico).replace(/^\$/, '') : '');
    setErrors({});
  }

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!model) return;
    if (mode === 'global') {
      onApply(model.id, null);
      return;
    }
    if (mode === 'markup') {
      const m = parseMarkup(markup);
      setErrors({ markup: m.ok ? undefined : m.message });
      if (m.ok) onApply(model.id, { markupPercent: m.value });
      return;
    }
    const p = parsePerMillion(prompt);
    const c = parsePerMillion(completion);
    setErrors({ prompt: p.ok ? undefined : p.message, completion: c.ok ? undefined : c.message });
    if (p.ok && c.ok) onApply(model.id, { promptUsdPerMillion: p.value, completionUsdPerMillion: c.value });
  };

  return (
    <Modal opened={model !== null} onClose={onClose} title={model ? `Price of ${model.id}` : ''} centered size="lg" data-testid="override-modal">
      {model ? (
        <form onSubmit={apply} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              Upstream cost per 1M tokens: <PricePair prompt={model.upstreamPromptPico} completion={model.upstreamCompletionPico} /> (prompt · completion). The change is previewed
              below and applied when you save.
            </Text>
            <SegmentedControl
              value={mode}
              onChange={(v) => setMode(v as Mode)}
              data={[
                { value: 'global', label: 'Global markup' },
                { value: 'markup', label: 'Own markup' },
                { value: 'fixed', label: 'Fixed price' },
              ]}
              aria-label="How this model is priced"
              data-testid="override-mode"
            />
            {mode === 'markup' ? (
              <TextInput label="Markup (%)" placeholder="40" value={markup} onChange={(e) => setMarkup(e.currentTarget.value)} error={errors.markup} inputMode="decimal" w={200} data-autofocus data-testid="override-markup" />
            ) : null}
            {mode === 'fixed' ? (
              <Group grow align="flex-start">
                <TextInput label="Prompt, USD per 1M tokens" placeholder="3.75" value={prompt} onChange={(e) => setPrompt(e.currentTarget.value)} error={errors.prompt} inputMode="decimal" data-testid="override-prompt" />
                <TextInput label="Completion, USD per 1M tokens" placeholder="18.75" value={completion} onChange={(e) => setCompletion(e.currentTarget.value)} error={errors.completion} inputMode="decimal" data-testid="override-completion" />
              </Group>
            ) : null}
            {mode === 'global' ? <Text size="sm">This model follows the global markup.</Text> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" data-testid="override-apply">
                Preview this price
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

/**
 * The upstream catalog: cost, the owner's price and the margin per model, searchable and
 * sortable. With drafts, the previewed price shows beside the current one.
 */
export function ModelsTable({
  models,
  preview,
  drafts,
  onDraft,
}: {
  models: readonly ModelPriceView[];
  /** Previewed rows by model id (only while there are drafts). */
  preview: ReadonlyMap<string, ModelPriceView> | null;
  drafts: Readonly<Record<string, OverrideDraft>>;
  onDraft: (id: string, draft: OverrideDraft) => void;
}) {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<ModelSort>({ key: 'id', direction: 'asc' });
  const [editing, setEditing] = useState<ModelPriceView | null>(null);
  const rows = useMemo(() => sortModels(searchModels(models, query), sort), [models, query, sort]);
  const shown = rows.slice(0, MAX_ROWS);

  return (
    <Stack gap="sm">
      <TextInput
        label="Search models"
        placeholder="Model id or name"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        maw={420}
        data-testid="models-search"
      />
      <Text size="xs" c="dimmed">
        Prices per million tokens, prompt · completion. Margin = profit as a share of your blended price.
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="xs" highlightOnHover withTableBorder tabularNums data-testid="models-table" aria-label="Model prices">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((c, i) => (
                <SortHeader key={i} column={c} sort={sort} onSort={(k) => setSort((s) => nextModelSort(s, k))} />
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.length === 0 ? (
              <EmptyRow cols={COLUMNS.length}>{models.length === 0 ? 'The upstream catalog is empty: set the upstream key in Settings (the proxy loads the catalog).' : `No model matches “${query.trim()}”.`}</EmptyRow>
            ) : (
              shown.map((m) => {
                const next = preview?.get(m.id);
                const changed = next !== undefined && (next.customerPromptPico !== m.customerPromptPico || next.customerCompletionPico !== m.customerCompletionPico);
                const draft = Object.prototype.hasOwnProperty.call(drafts, m.id) ? drafts[m.id] : undefined;
                const margin = marginBps(changed ? next : m);
                return (
                  <Table.Tr key={m.id} data-testid="model-row" data-model={m.id}>
                    <Table.Td>
                      <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                        {m.id}
                      </Text>
                      {m.name !== m.id ? (
                        <Text size="xs" c="dimmed">
                          {m.name}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td className={classes.numeric}>
                      <PricePair prompt={m.upstreamPromptPico} completion={m.upstreamCompletionPico} />
                    </Table.Td>
                    <Table.Td className={classes.numeric} data-testid="model-price">
                      <Text span size="sm" td={changed ? 'line-through' : undefined} c={changed ? 'dimmed' : undefined}>
                        <PricePair prompt={m.customerPromptPico} completion={m.customerCompletionPico} />
                      </Text>
                      {changed ? (
                        <Text size="sm" fw={700} c="blue" data-testid="model-preview-price">
                          → <PricePair prompt={next.customerPromptPico} completion={next.customerCompletionPico} />
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td className={classes.numeric} data-testid="model-margin">
                      <Text span size="sm" c={margin !== null && margin < 0 ? 'red' : undefined}>
                        {formatBps(margin)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                          {sourceLabel(changed ? next : m)}
                        </Text>
                        {(changed ? next : m).belowCost ? (
                          <Badge color="red" variant="light" size="xs">
                            below cost
                          </Badge>
                        ) : null}
                        {draft !== undefined ? (
                          <Badge color="blue" variant="outline" size="xs" title="Not saved yet">
                            draft: {describeOverride(draft)}
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(m)} aria-label={`Set the price of ${m.id}`} data-testid="model-edit">
                        Set price…
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length > shown.length ? (
        <Text size="xs" c="dimmed">
          Showing {shown.length} of {rows.length} models; search to find the others.
        </Text>
      ) : null}
      <OverrideModal
        model={editing}
        onClose={() => setEditing(null)}
        onApply={(id, d) => {
          onDraft(id, d);
          setEditing(null);
        }}
      />
    </Stack>
  );
}
