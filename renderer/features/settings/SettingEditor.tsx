import { Button, Group, PasswordInput, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { SettingView } from '../../../services/contract';
import { initialInput, type Draft } from './model';

interface EditorProps {
  setting: SettingView;
  draft: Draft | undefined;
  error: string | undefined;
  inputId: string;
  describedBy: string;
  onDraft(draft: Draft | undefined): void;
}

/** Write-only editor for a secret: shows only whether it is set, never the value or part of it. */
function SecretEditor({ setting, draft, error, inputId, describedBy, onDraft }: EditorProps) {
  const [editing, setEditing] = useState(false);
  const typed = draft?.kind === 'set' && typeof draft.input === 'string' ? draft.input : '';
  const action = setting.isSet ? 'Replace' : 'Set';
  return (
    <Group gap="xs" align="flex-start" wrap="wrap">
      <Text size="sm" ff="monospace" data-testid="secret-hint" py={4}>
        {draft?.kind === 'clear' ? 'will be removed' : setting.isSet ? 'set' : 'not set'}
      </Text>
      {editing ? (
        <>
          <PasswordInput
            id={inputId}
            aria-describedby={describedBy}
            aria-label={`New value for ${setting.key}`}
            placeholder="New value"
            autoComplete="new-password"
            value={typed}
            error={error}
            onChange={(e) => onDraft(e.currentTarget.value ? { kind: 'set', input: e.currentTarget.value } : undefined)}
            w={240}
            autoFocus
          />
          <Button
            variant="subtle"
            size="xs"
            mt={4}
            onClick={() => {
              setEditing(false);
              onDraft(undefined);
            }}
          >
            Cancel
          </Button>
        </>
      ) : (
        <Button
          id={inputId}
          variant="default"
          size="xs"
          onClick={() => setEditing(true)}
          aria-label={`${action} ${setting.key}`}
          aria-describedby={describedBy}
        >
          {action}
        </Button>
      )}
    </Group>
  );
}

export function SettingEditor(props: EditorProps) {
  const { setting, draft, error, inputId, describedBy, onDraft } = props;
  if (setting.secret) return <SecretEditor {...props} />;

  const input = draft?.kind === 'set' ? draft.input : initialInput(setting);
  const set = (value: string | boolean | string[]) => onDraft({ kind: 'set', input: value });
  const common = { id: inputId, 'aria-describedby': describedBy, error } as const;

  switch (setting.type) {
    case 'boolean':
      return (
        <Switch
          {...common}
          checked={input === true}
          onChange={(e) => set(e.currentTarget.checked)}
          label={input === true ? 'On' : 'Off'}
        />
      );
    case 'string[]':
    case 'number[]':
      return (
        <TagsInput
          {...common}
          value={Array.isArray(input) ? input : []}
          onChange={set}
          placeholder={setting.type === 'number[]' ? 'Type a number, press Enter' : 'Type a value, press Enter'}
          clearable
        />
      );
    case 'number':
      return (
        <TextInput {...common} inputMode="decimal" value={typeof input === 'string' ? input : ''} onChange={(e) => set(e.currentTarget.value)} />
      );
    default:
      return <TextInput {...common} value={typeof input === 'string' ? input : ''} onChange={(e) => set(e.currentTarget.value)} />;
  }
}
