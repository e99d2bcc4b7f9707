import { Alert, Autocomplete, Button, Group, Modal, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { PackageView } from '../../../services/contract';
import { api } from '../../api';
import { EMPTY_PACKAGE_FORM, fieldErrors, formFromPackage, packageItem, type PackageField, type PackageFormValues } from './model';

/**
 * Create or edit one package, with the seeds' fields. The form sends the seeds' JSON item; the
 * host checks it exactly like an imported item, and its problems are shown on the fields.
 */
export function PackageForm({
  opened,
  editing,
  models,
  onSaved,
  onClose,
}: {
  opened: boolean;
  /** The package being edited; null = a new one. */
  editing: PackageView | null;
  models: readonly string[];
  onSaved: (p: PackageView, created: boolean) => void;
  onClose: () => void;
}) {
  const [values, setValues] = useState<PackageFormValues>(EMPTY_PACKAGE_FORM);
  const [errors, setErrors] = useState<Partial<Record<PackageField, string>>>({});
  const [other, setOther] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  const key = opened ? (editing?.id ?? 'new') : null;
  if (key !== openedFor) {
    setOpenedFor(key);
    if (key !== null) {
      setValues(editing ? formFromPackage(editing) : EMPTY_PACKAGE_FORM);
      setErrors({});
      setOther([]);
    }
  }
  const set = (field: keyof PackageFormValues) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const item = packageItem(values);
    const result = editing ? await api.invoke('packages.update', { packageId: editing.id, package: item }) : await api.invoke('packages.create', { package: item });
    setBusy(false);
    if (!result.ok) {
      const parsed = result.error.code === 'invalid_input' ? fieldErrors(result.error.message) : { fields: {}, other: [result.error.message] };
      setErrors(parsed.fields);
      setOther(parsed.other);
      return;
    }
    onSaved(result.value.package, !editing);
  };

  const tokens = values.kind === 'tokens';
  return (
    <Modal opened={opened} onClose={() => (busy ? undefined : onClose())} title={editing ? `Edit package ${editing.id}` : 'New package'} centered size="lg" data-testid="package-form-modal">
      <form noValidate onSubmit={(e: FormEvent) => void submit(e)} data-testid="package-form">
        <Stack gap="sm">
          <SegmentedControl
            value={values.kind}
            onChange={(v) => setValues((s) => ({ ...s, kind: v as PackageFormValues['kind'] }))}
            data={[
              { value: 'tokens', label: 'Tokens of one model' },
              { value: 'credit', label: 'USD credit' },
            ]}
            aria-label="Kind of package"
            data-testid="package-kind"
          />
          {tokens ? (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Autocomplete
                label="Model"
                placeholder="openai/gpt-4o-mini"
                data={models as string[]}
                limit={20}
                value={values.model}
                onChange={(v) => setValues((s) => ({ ...s, model: v }))}
                error={errors.model}
                required
                data-testid="package-model"
              />
              <TextInput label="Tokens" placeholder="100000" value={values.tokens} onChange={set('tokens')} error={errors.tokens} inputMode="numeric" required data-testid="package-tokens" />
            </SimpleGrid>
          ) : (
            <TextInput label="Credit (USD)" placeholder="10.00" value={values.usdCredit} onChange={set('usdCredit')} error={errors.usdCredit} inputMode="decimal" required w={200} data-testid="package-credit" />
          )}
          <Textarea
            label="Description"
            description="What customers see in the shop (1–500 characters)"
            value={values.description}
            onChange={set('description')}
            error={errors.description}
            autosize
            minRows={2}
            maxLength={500}
            required
            data-testid="package-description"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput label="Validity (days)" description="Blank: no expiry" value={values.validityDays} onChange={set('validityDays')} error={errors.validityDays} inputMode="numeric" data-testid="package-validity" />
            <TextInput label="Category id" description="Optional" value={values.categoryId} onChange={set('categoryId')} error={errors.categoryId} inputMode="numeric" data-testid="package-category" />
            <TextInput label="Subcategory id" description="Optional" value={values.subcategoryId} onChange={set('subcategoryId')} error={errors.subcategoryId} inputMode="numeric" data-testid="package-subcategory" />
          </SimpleGrid>
          {other.length ? (
            <Alert color="red" icon={<IconX aria-hidden />} role="alert" p="xs" data-testid="package-form-error">
              {other.map((o, i) => (
                <Text key={i} size="sm">
                  {o}
                </Text>
              ))}
            </Alert>
          ) : null}
          <Text size="xs" c="dimmed">
            {tokens ? 'The price follows the model’s price, the bulk discount and the minimum profit (see Pricing above).' : 'A credit package costs exactly its credit.'}
            {editing ? ' A package with orders still waiting for payment cannot be edited: retire it and create a new one.' : ''}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="package-save">
              {editing ? 'Save package' : 'Create package'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
