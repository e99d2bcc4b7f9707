import { Badge, Button, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleDashed, IconLoader2 } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SettingView, SetupItem } from '../../../services/contract';
import { api } from '../../api';
import { SETUP_STEPS, progress, savedSummary, stateLabel, typedValue, type SetupStep, type StepState, type StepStatus } from './setup-steps';

const COLORS: Record<StepState, string> = { done: 'green', problem: 'red', todo: 'gray', checking: 'blue', unknown: 'gray' };

function StateIcon({ state }: { state: StepState }) {
  const props = { size: 20, 'aria-hidden': true } as const;
  if (state === 'done') return <IconCircleCheck {...props} color="var(--mantine-color-green-7)" />;
  if (state === 'problem') return <IconAlertTriangle {...props} color="var(--mantine-color-red-7)" />;
  if (state === 'checking') return <IconLoader2 {...props} />;
  return <IconCircleDashed {...props} />;
}

interface StepProps {
  step: SetupStep;
  setting: SettingView | undefined;
  status: StepStatus | undefined;
  onCheck(item: SetupItem, value?: string): Promise<void>;
  onSaved(settings: SettingView[]): void;
}

function StepRow({ step, setting, status, onCheck, onSaved }: StepProps) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `setup-${step.item.replace(/\./g, '-')}`;
  const state = status?.state ?? 'unknown';
  const overridden = setting?.source === 'env' || setting?.source === 'flag';

  const test = async () => {
    setSaveError(null);
    await onCheck(step.item, text.trim() === '' ? undefined : text);
  };

  const save = async () => {
    if (text.trim() === '') return;
    setBusy(true);
    setSaveError(null);
    const result = await api.invoke('settings.update', { changes: { [step.item]: typedValue(step, text) } });
    setBusy(false);
    if (!result.ok) {
      setSaveError(result.error.message);
      return;
    }
    onSaved(result.value.settings);
    setText('');
    setEditing(false);
    await onCheck(step.item);
  };

  const Input = step.secret ? PasswordInput : TextInput;
  return (
    <Paper component="li" withBorder p="sm" radius="md" data-testid={`setup-step-${step.item}`} data-state={state}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Group gap="sm" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
          <StateIcon state={state} />
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Text fw={600} size="sm" id={`${id}-title`}>
                {step.title}
              </Text>
              <Badge size="sm" variant="light" color={COLORS[state]} tt="none" data-testid="setup-state">
                {stateLabel(step, state)}
              </Badge>
              {step.secret ? (
                <Text size="xs" c="dimmed" data-testid="setup-saved">
                  {savedSummary(step, setting)}
                </Text>
              ) : null}
            </Group>
            <Text size="sm" c={state === 'problem' ? 'var(--mantine-color-red-light-color)' : undefined} data-testid="setup-message" aria-live="polite" style={{ overflowWrap: 'anywhere' }}>
              {status?.message ?? ''}
            </Text>
            {overridden ? (
              <Text size="xs" c="var(--mantine-color-orange-light-color)">
                Set by {setting?.source === 'env' ? 'an environment variable' : 'a command-line flag'}; a value saved here is used once that is removed.
              </Text>
            ) : null}
          </Stack>
        </Group>
        {!editing ? (
          <Button variant="default" size="xs" onClick={() => setEditing(true)} aria-describedby={`${id}-title`}>
            {state === 'done' ? 'Change' : 'Set up'}
          </Button>
        ) : null}
      </Group>
      {editing ? (
        <Stack gap="xs" mt="sm" ml={32}>
          <Input
            id={id}
            label={step.title}
            description={step.hint}
            placeholder={step.placeholder}
            value={text}
            autoComplete={step.secret ? 'new-password' : 'off'}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void test();
            }}
            error={saveError}
            autoFocus
            maw={520}
          />
          <Group gap="xs">
            <Button size="xs" variant="light" onClick={() => void test()} loading={state === 'checking'}>
              {text.trim() === '' ? 'Test saved value' : 'Test'}
            </Button>
            <Button size="xs" onClick={() => void save()} disabled={text.trim() === ''} loading={busy}>
              Save
            </Button>
            <Button
              size="xs"
              variant="subtle"
              onClick={() => {
                setEditing(false);
                setText('');
                setSaveError(null);
              }}
            >
              Cancel
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Paper>
  );
}

/**
 * The first-run checklist at the top of Settings: each step of a new owner's setup with its
 * state (done / not done / problem), tested by the host as it is entered (`setup.check`).
 * Secrets are write-only: the field starts empty and only "set" / "not set" is ever shown.
 */
export function SetupChecklist({ settings, onSaved }: { settings: readonly SettingView[]; onSaved(settings: SettingView[]): void }) {
  const [statuses, setStatuses] = useState<Partial<Record<SetupItem, StepStatus>>>({});
  const latest = useRef(new Map<SetupItem, number>());

  const check = useCallback(async (item: SetupItem, value?: string) => {
    const ticket = (latest.current.get(item) ?? 0) + 1;
    latest.current.set(item, ticket);
    setStatuses((s) => ({ ...s, [item]: { state: 'checking', message: s[item]?.message ?? '' } }));
    const result = await api.invoke('setup.check', value === undefined ? { item } : { item, value });
    if (latest.current.get(item) !== ticket) return; // a newer check of this step is on its way
    const next: StepStatus = result.ok
      ? { state: result.value.state, message: result.value.tested === 'typed' && result.value.state === 'done' ? `${result.value.message} (not saved yet)` : result.value.message }
      : { state: 'problem', message: `Could not check: ${result.error.message}` };
    setStatuses((s) => ({ ...s, [item]: next }));
  }, []);

  const checkAll = useCallback(() => {
    for (const step of SETUP_STEPS) void check(step.item);
  }, [check]);

  useEffect(() => {
    checkAll();
  }, [checkAll]);

  const { done, required } = progress(statuses);
  return (
    <section aria-labelledby="setup-checklist-title" data-testid="setup-checklist">
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={2} size="h4" id="setup-checklist-title">
            First-run setup
          </Title>
          <Text size="sm" c="dimmed" data-testid="setup-progress">
            {done} of {required} required steps done. Each value is tested as you enter it; secrets are never shown again once kept.
          </Text>
        </div>
        <Button variant="default" size="xs" onClick={checkAll}>
          Check all again
        </Button>
      </Group>
      <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
        {SETUP_STEPS.map((step) => (
          <StepRow key={step.item} step={step} setting={settings.find((s) => s.key === step.item)} status={statuses[step.item]} onCheck={check} onSaved={onSaved} />
        ))}
      </Stack>
    </section>
  );
}
