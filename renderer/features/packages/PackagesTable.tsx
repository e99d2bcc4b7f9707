import { Alert, Badge, Button, FileButton, Group, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconCheck, IconFileImport, IconPlus, IconX } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { PackagePricePreview, PackageView } from '../../../services/contract';
import { api } from '../../api';
import { formatCount, formatDate, formatUsd } from '../../components/format';
import { ConfirmDialog } from '../customers/ConfirmDialog';
import classes from '../customers/customers.module.css';
import type { ConfirmText } from '../customers/texts';
import { importProblems, packageWhat } from './model';
import { PackageForm } from './PackageForm';
import { EmptyRow } from '../../components/EmptyRow';

type Outcome = { kind: 'ok'; message: string } | { kind: 'error'; message: string; problems?: string[] } | null;

function retireText(p: PackageView): ConfirmText {
  return {
    title: 'Retire this package?',
    lines: [
      `Stop selling “${p.description}” (${packageWhat(p)}, ${p.priceMicro === null ? 'not priced' : formatUsd(p.priceMicro)}): it leaves the shop’s catalog at once.`,
      'Customers who bought it keep what they got; it stays listed here as retired.',
    ],
    confirmLabel: 'Retire package',
    danger: true,
  };
}

function Status({ p }: { p: PackageView }) {
  if (p.retiredAt !== null)
    return (
      <Badge color="gray" variant="light" miw="max-content" title={`Retired ${formatDate(p.retiredAt)}`}>
        retired
      </Badge>
    );
  if (!p.forSale)
    return (
      <Badge color="orange" variant="light" miw="max-content" title="Its model has no price in the catalog (or left it): not sold until it has one">
        not priced
      </Badge>
    );
  return (
    <Badge color="teal" variant="light" miw="max-content">
      for sale
    </Badge>
  );
}

/** Reads the chosen file as text (JSON of the seeds' bulk format). */
function readFile(file: File): Promise<string> {
  return file.text();
}

/**
 * Every package (retired ones on request): what it is, price, cost and profit — with the
 * previewed price beside the current one while pricing drafts exist — and create, edit, retire,
 * import.
 */
export function PackagesTable({
  packages,
  preview,
  models,
  onChanged,
}: {
  packages: readonly PackageView[];
  preview: ReadonlyMap<string, PackagePricePreview> | null;
  models: readonly string[];
  onChanged: () => void;
}) {
  const [showRetired, setShowRetired] = useState(false);
  const [form, setForm] = useState<{ editing: PackageView | null } | null>(null);
  const [retiring, setRetiring] = useState<PackageView | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const rows = useMemo(() => packages.filter((p) => showRetired || p.retiredAt === null), [packages, showRetired]);
  const retiredCount = packages.length - packages.filter((p) => p.retiredAt === null).length;

  const importFile = async (file: File | null) => {
    if (!file) return;
    setOutcome(null);
    let data: unknown;
    try {
      data = JSON.parse((await readFile(file)).replace(/^\uFEFF/, ''));
    } catch (error) {
      setOutcome({ kind: 'error', message: `${file.name} is not valid JSON: ${(error as Error).message}` });
      return;
    }
    if (!Array.isArray(data)) {
      setOutcome({ kind: 'error', message: `${file.name} must hold a JSON array of packages: [ { "model": …, "tokens": …, "description": … }, … ]` });
      return;
    }
    setBusy(true);
    const result = await api.invoke('packages.import', { packages: data });
    setBusy(false);
    if (!result.ok) {
      setOutcome({ kind: 'error', message: `Nothing was imported from ${file.name}. Fix these and import it again:`, problems: importProblems(result.error.message) });
      return;
    }
    const unpriced = result.value.imported.filter((p) => !p.forSale).length;
    const same = result.value.alreadyForSale.length;
    setOutcome({
      kind: 'ok',
      message:
        `Imported ${formatCount(result.value.imported.length)} package${result.value.imported.length === 1 ? '' : 's'} from ${file.name}` +
        `${unpriced ? `; ${unpriced} not priced (model not in the catalog)` : ''}` +
        `${same ? `; ${formatCount(same)} already for sale with the same definition, not added again` : ''}.`,
    });
    onChanged();
  };

  const retire = async () => {
    if (!retiring) return;
    setBusy(true);
    const result = await api.invoke('packages.retire', { packageId: retiring.id });
    setBusy(false);
    setRetiring(null);
    setOutcome(result.ok ? { kind: 'ok', message: `Retired “${result.value.package.description}” (${result.value.package.id}).` } : { kind: 'error', message: result.error.message });
    if (result.ok) onChanged();
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="packages-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <div>
            <Title order={2} size="h4" id="packages-title">
              Packages
            </Title>
            <Text size="xs" c="dimmed">
              What the shop sells. Token packages are priced from their model’s price; prices follow the catalog and your pricing at once.
            </Text>
          </div>
          <Group gap="sm">
            <Switch label={`Show retired (${retiredCount})`} checked={showRetired} onChange={(e) => setShowRetired(e.currentTarget.checked)} data-testid="packages-show-retired" />
            <FileButton onChange={(f) => void importFile(f)} accept="application/json,.json">
              {(props) => (
                <Button {...props} variant="default" leftSection={<IconFileImport size={16} aria-hidden />} loading={busy} data-testid="packages-import">
                  Import JSON…
                </Button>
              )}
            </FileButton>
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setForm({ editing: null })} data-testid="package-new">
              New package
            </Button>
          </Group>
        </Group>

        {outcome?.kind === 'ok' ? (
          <Alert color="teal" icon={<IconCheck aria-hidden />} role="status" withCloseButton closeButtonLabel="Dismiss" onClose={() => setOutcome(null)} p="xs" data-testid="packages-done">
            {outcome.message}
          </Alert>
        ) : null}
        {outcome?.kind === 'error' ? (
          <Alert color="red" icon={<IconX aria-hidden />} role="alert" withCloseButton closeButtonLabel="Dismiss" onClose={() => setOutcome(null)} p="xs" data-testid="packages-error">
            <Text size="sm">{outcome.message}</Text>
            {outcome.problems ? (
              <ul style={{ margin: '4px 0 0', paddingLeft: 20 }} data-testid="import-problems">
                {outcome.problems.map((p, i) => (
                  <li key={i}>
                    <Text size="sm">{p}</Text>
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}

        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="xs" highlightOnHover withTableBorder tabularNums data-testid="packages-table" aria-label="Packages">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Package</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th className={classes.numeric}>Validity</Table.Th>
                <Table.Th className={classes.numeric}>Price</Table.Th>
                <Table.Th className={classes.numeric}>Upstream cost</Table.Th>
                <Table.Th className={classes.numeric}>Profit</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length === 0 ? (
                <EmptyRow cols={8}>No packages yet. Create one, or import the seeds’ JSON file.</EmptyRow>
              ) : (
                rows.map((p) => {
                  const next = preview?.get(p.id);
                  const changed = next !== undefined && p.retiredAt === null && next.previewMicro !== p.priceMicro;
                  const cost = changed ? next.upstreamCostMicro : p.upstreamCostMicro;
                  const price = changed ? next.previewMicro : p.priceMicro;
                  const profit = price !== null && cost !== null ? price - cost : null;
                  return (
                    <Table.Tr key={p.id} data-testid="package-row" data-package-id={p.id} data-retired={p.retiredAt !== null || undefined} style={p.retiredAt !== null ? { opacity: 0.6 } : undefined}>
                      <Table.Td maw={280}>
                        <Text size="sm" fw={600}>
                          {p.description}
                        </Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {p.id}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{packageWhat(p)}</Text>
                      </Table.Td>
                      <Table.Td className={classes.numeric}>{p.validityDays === null ? '—' : `${formatCount(p.validityDays)} d`}</Table.Td>
                      <Table.Td className={classes.numeric}>
                        <Text span size="sm" fw={changed ? undefined : 600} td={changed ? 'line-through' : undefined} c={changed ? 'dimmed' : undefined} data-testid="package-price">
                          {p.priceMicro === null ? '—' : formatUsd(p.priceMicro)}
                        </Text>
                        {changed ? (
                          <Text size="sm" fw={700} c="blue" data-testid="package-preview-price">
                            → {next.previewMicro === null ? 'not for sale' : formatUsd(next.previewMicro)}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td className={classes.numeric}>{cost === null ? '—' : formatUsd(cost)}</Table.Td>
                      <Table.Td className={classes.numeric} data-testid="package-profit">
                        <Text span size="sm" c={profit !== null && profit < 0 ? 'red' : undefined}>
                          {profit === null ? '—' : formatUsd(profit)}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Status p={p} />
                      </Table.Td>
                      <Table.Td>
                        {p.retiredAt === null ? (
                          <Group gap={4} wrap="nowrap">
                            <Button size="compact-xs" variant="subtle" onClick={() => setForm({ editing: p })} data-testid="package-edit">
                              Edit
                            </Button>
                            <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRetiring(p)} data-testid="package-retire">
                              Retire
                            </Button>
                          </Group>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  );
                })
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
      <PackageForm
        opened={form !== null}
        editing={form?.editing ?? null}
        models={models}
        onClose={() => setForm(null)}
        onSaved={(p, created) => {
          setForm(null);
          setOutcome({ kind: 'ok', message: `${created ? 'Created' : 'Saved'} “${p.description}” (${p.id}): ${p.priceMicro === null ? 'not priced yet (its model has no price)' : formatUsd(p.priceMicro)}.` });
          onChanged();
        }}
      />
      <ConfirmDialog text={retiring ? retireText(retiring) : null} busy={busy} onConfirm={() => void retire()} onCancel={() => setRetiring(null)} />
    </Paper>
  );
}
