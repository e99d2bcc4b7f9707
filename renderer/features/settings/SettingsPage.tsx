import { Alert, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconX } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SettingView } from '../../../services/contract';
import { api } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { describeShadowed, groupSettings, planChanges, type Draft, type Shadowed } from './model';
import { SettingRow } from './SettingRow';
import { LoadError, Loading } from '../../components/LoadState';
import { SetupChecklist } from './SetupChecklist';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready' };

type Outcome =
  | { kind: 'error'; message: string }
  | { kind: 'saved'; updated: string[]; shadowed: Shadowed[] }
  | null;

function groupTitle(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function SettingsPage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [settings, setSettings] = useState<SettingView[]>([]);
  const [configFile, setConfigFile] = useState('');
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [showErrors, setShowErrors] = useState(false);
  // Bumped after a save so editors (e.g. an open secret field) start fresh.
  const [generation, setGeneration] = useState(0);

  const reload = useCallback(async () => {
    setLoad({ state: 'loading' });
    const result = await api.invoke('settings.get');
    if (!result.ok) {
      setLoad({ state: 'error', message: result.error.message });
      return;
    }
    setSettings(result.value.settings);
    setConfigFile(result.value.configFile);
    setLoad({ state: 'ready' });
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const onDraft = useCallback((key: string, draft: Draft | undefined) => {
    setDrafts((current) => {
      const next = { ...current };
      if (draft) next[key] = draft;
      else delete next[key];
      return next;
    });
    setOutcome(null);
  }, []);

  const groups = useMemo(() => groupSettings(settings), [settings]);
  const plan = useMemo(() => planChanges(settings, drafts), [settings, drafts]);
  const changeCount = Object.keys(plan.changes).length;
  const errorCount = Object.keys(plan.errors).length;
  /** Edited settings that still differ from what is saved (including ones typed wrong). */
  const pendingCount = changeCount + errorCount;

  const save = async () => {
    if (errorCount > 0) {
      setShowErrors(true);
      return;
    }
    if (changeCount === 0) return;
    setSaving(true);
    const result = await api.invoke('settings.update', { changes: plan.changes });
    setSaving(false);
    if (!result.ok) {
      setOutcome({ kind: 'error', message: result.error.message });
      return;
    }
    setSettings(result.value.settings);
    setDrafts({});
    setShowErrors(false);
    setGeneration((g) => g + 1);
    setOutcome({ kind: 'saved', updated: result.value.updated, shadowed: result.value.shadowed });
  };

  const discard = () => {
    setDrafts({});
    setShowErrors(false);
    setOutcome(null);
    setGeneration((g) => g + 1);
  };

  return (
    <Stack gap="lg" pb={120}>
      <div>
        <PageTitle>Settings</PageTitle>
        {configFile ? (
          <Text size="sm" c="dimmed" mt={4}>
            Saved to <Code>{configFile}</Code>. Environment variables and command-line flags take precedence over the
            file.
          </Text>
        ) : null}
      </div>

      {load.state === 'loading' ? <Loading label="Loading settings…" /> : null}
      {load.state === 'error' ? <LoadError title="Could not load settings" message={load.message} retry={() => void reload()} /> : null}

      {load.state === 'ready' ? <SetupChecklist settings={settings} onSaved={setSettings} /> : null}

      {groups.map((group) => (
        <section key={group.name} aria-labelledby={`group-${group.name}`} data-testid={`settings-group-${group.name}`}>
          <Title order={2} size="h4" id={`group-${group.name}`} mb="xs">
            {groupTitle(group.name)}
          </Title>
          <Stack gap="xs">
            {group.settings.map((setting) => (
              <SettingRow
                key={`${setting.key}#${generation}`}
                setting={setting}
                draft={drafts[setting.key]}
                error={showErrors ? plan.errors[setting.key] : undefined}
                onDraft={onDraft}
              />
            ))}
          </Stack>
        </section>
      ))}

      {load.state === 'ready' && (Object.keys(drafts).length > 0 || outcome) ? (
        <Paper
          withBorder
          shadow="md"
          p="sm"
          radius="md"
          style={{ position: 'sticky', bottom: 'var(--mantine-spacing-md)', zIndex: 5 }}
          data-testid="settings-save-bar"
        >
          <Stack gap="xs">
            {outcome?.kind === 'error' ? (
              <Alert color="red" icon={<IconX aria-hidden />} title="Not saved" role="alert" data-testid="settings-error">
                {outcome.message}
              </Alert>
            ) : null}
            {outcome?.kind === 'saved' ? (
              <Alert
                color="green"
                icon={<IconCheck aria-hidden />}
                title="Saved"
                role="status"
                data-testid="settings-saved"
                withCloseButton
                closeButtonLabel="Dismiss"
                onClose={() => setOutcome(null)}
              >
                {outcome.updated.length > 0 ? `Updated ${outcome.updated.join(', ')}.` : 'Nothing changed.'}
              </Alert>
            ) : null}
            {outcome?.kind === 'saved' && outcome.shadowed.length > 0 ? (
              <Alert
                color="orange"
                icon={<IconAlertTriangle aria-hidden />}
                title="Saved, but overridden"
                role="alert"
                data-testid="settings-shadowed"
                withCloseButton
                closeButtonLabel="Dismiss"
                onClose={() => setOutcome(null)}
              >
                <Stack gap={4}>
                  {outcome.shadowed.map((s) => (
                    <Text size="sm" key={s.key}>
                      {describeShadowed(s)}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            ) : null}
            {showErrors && errorCount > 0 ? (
              <Text size="sm" c="red" role="alert">
                Fix {errorCount === 1 ? 'the highlighted value' : `the ${errorCount} highlighted values`} before saving.
              </Text>
            ) : null}
            {Object.keys(drafts).length > 0 ? (
              <Group justify="space-between">
                <Text size="sm">
                  {pendingCount === 0
                    ? 'No changes to save'
                    : pendingCount === 1
                      ? '1 unsaved change'
                      : `${pendingCount} unsaved changes`}
                </Text>
                <Group gap="xs">
                  <Button variant="default" onClick={discard} disabled={saving}>
                    Discard
                  </Button>
                  <Button onClick={() => void save()} loading={saving} disabled={changeCount === 0 && errorCount === 0}>
                    Save
                  </Button>
                </Group>
              </Group>
            ) : null}
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}
