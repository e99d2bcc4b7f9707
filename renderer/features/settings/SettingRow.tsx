import { Badge, Box, Button, Code, Group, Paper, Stack, Text } from '@mantine/core';
import { memo } from 'react';
import type { SettingSource, SettingView } from '../../../services/contract';
import type { Draft } from './model';
import { SettingEditor } from './SettingEditor';

const SOURCE_COLORS: Record<SettingSource, string> = { default: 'gray', file: 'blue', env: 'grape', flag: 'orange' };

const SOURCE_TITLES: Record<SettingSource, string> = {
  default: 'Built-in default',
  file: 'From the config file',
  env: 'From an environment variable',
  flag: 'From a command-line flag',
};

interface RowProps {
  setting: SettingView;
  draft: Draft | undefined;
  error: string | undefined;
  onDraft(key: string, draft: Draft | undefined): void;
}

function domId(key: string): string {
  return `setting-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

export const SettingRow = memo(function SettingRow({ setting, draft, error, onDraft }: RowProps) {
  const id = domId(setting.key);
  const descId = `${id}-desc`;
  const set = (d: Draft | undefined) => onDraft(setting.key, d);
  const overridden = setting.source === 'env' || setting.source === 'flag';
  const canReset = !setting.secret && setting.source === 'file' && draft?.kind !== 'clear';
  const canRemoveSecret = setting.secret && setting.isSet && setting.source === 'file' && draft?.kind !== 'clear';

  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      data-testid={`setting-${setting.key}`}
      data-dirty={draft ? 'true' : undefined}
      style={draft ? { borderLeft: '4px solid var(--mantine-primary-color-filled)' } : undefined}
    >
      <Group align="flex-start" justify="space-between" gap="md" wrap="wrap">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Group gap="xs" wrap="wrap">
            <Text component="label" htmlFor={id} ff="monospace" fw={700} size="sm">
              {setting.key}
            </Text>
            <Badge
              size="sm"
              variant="light"
              tt="none"
              color={SOURCE_COLORS[setting.source]}
              title={SOURCE_TITLES[setting.source]}
              data-testid="setting-source"
            >
              {setting.source}
            </Badge>
            {setting.secret ? (
              <Badge size="sm" variant="outline" color="gray" tt="none">
                secret
              </Badge>
            ) : null}
            {draft ? (
              <Badge size="sm" variant="filled" tt="none">
                {draft.kind === 'clear' ? 'will reset' : 'unsaved'}
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed" id={descId}>
            {setting.description}
            {setting.restartsService ? ` Changing it restarts the ${setting.restartsService} service.` : ''}
          </Text>
          {setting.envVars.length > 0 || setting.flag ? (
            <Text size="xs" c="dimmed">
              {setting.envVars.length > 0 ? (
                <>
                  Env:{' '}
                  {setting.envVars.map((name, i) => (
                    <span key={name}>
                      {i > 0 ? ', ' : ''}
                      <Code>{name}</Code>
                    </span>
                  ))}
                </>
              ) : null}
              {setting.envVars.length > 0 && setting.flag ? ' · ' : ''}
              {setting.flag ? (
                <>
                  Flag: <Code>{setting.flag}</Code>
                </>
              ) : null}
            </Text>
          ) : null}
          {overridden ? (
            <Text size="xs" c="var(--mantine-color-orange-light-color)">
              The current value comes from{' '}
              {setting.source === 'env' ? (setting.fromEnv ? <>the environment variable <Code>{setting.fromEnv}</Code></> : 'an environment variable') : 'a command-line flag'}; a
              value saved here is used only once that is removed.
            </Text>
          ) : null}
        </Stack>
        <Box style={{ flex: '0 1 340px', minWidth: 240 }}>
          <Stack gap={6}>
            <SettingEditor
              setting={setting}
              draft={draft}
              error={error}
              inputId={id}
              describedBy={descId}
              onDraft={set}
            />
            <Group gap="xs">
              {draft ? (
                <Button variant="subtle" size="compact-xs" onClick={() => set(undefined)}>
                  Undo
                </Button>
              ) : null}
              {canReset ? (
                <Button variant="subtle" size="compact-xs" color="gray" onClick={() => set({ kind: 'clear' })}>
                  Reset to default
                </Button>
              ) : null}
              {canRemoveSecret ? (
                <Button variant="subtle" size="compact-xs" color="red" onClick={() => set({ kind: 'clear' })}>
                  Remove
                </Button>
              ) : null}
            </Group>
          </Stack>
        </Box>
      </Group>
    </Paper>
  );
});
