import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { ConfirmText } from './texts';

/**
 * The one confirmation step before a command that moves money, changes a key or resolves an
 * invoice. It says exactly what will happen (`text.lines[0]` is the effect in one sentence);
 * Cancel is the default focus, so Enter alone never confirms. While `busy`, it cannot be closed.
 * Used by the customer, invoice and support screens.
 */
export function ConfirmDialog({
  text,
  busy,
  onConfirm,
  onCancel,
}: {
  /** null: closed. */
  text: ConfirmText | null;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  // Keep showing the last text while the dialog fades out, so it does not collapse empty.
  const [last, setLast] = useState(text);
  if (text !== null && text !== last) setLast(text);
  const shown = text ?? last;
  return (
    <Modal
      opened={text !== null}
      onClose={() => {
        if (!busy) onCancel();
      }}
      title={shown?.title}
      centered
      size="lg"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      withCloseButton={!busy}
      data-testid="confirm-dialog"
    >
      {shown ? (
        <Stack gap="md">
          <Stack gap={6}>
            {shown.lines.map((line, i) =>
              i === 0 ? (
                <Text key={i} fw={600} data-testid="confirm-effect">
                  {line}
                </Text>
              ) : (
                <Text key={i} size="sm" c={/refuse/.test(line) ? 'red' : undefined}>
                  {line}
                </Text>
              ),
            )}
          </Stack>
          {shown.danger ? (
            <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} p="xs">
              <Text size="sm">Check the details: this cannot be taken back from here.</Text>
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onCancel} disabled={busy} data-autofocus>
              Cancel
            </Button>
            <Button color={shown.danger ? 'red' : undefined} onClick={onConfirm} loading={busy} disabled={text === null} data-testid="confirm-ok">
              {shown.confirmLabel}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
