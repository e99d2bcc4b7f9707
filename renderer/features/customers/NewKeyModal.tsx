import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import classes from './customers.module.css';

export interface NewKey {
  /** The plaintext key. Lives only in the customer page's component state while this is open. */
  key: string;
  hint: string;
  customerName: string;
  /** Set when the key replaced one (rotation). */
  replacedHint: string | null;
}

/**
 * Shows a freshly issued or rotated key, once. The host keeps only its hash; this modal is the
 * only place the plaintext appears, and it is forgotten (state cleared, DOM removed) on close.
 * Clicking outside or Escape does not close it: the owner closes it on purpose.
 */
export function NewKeyModal({ newKey, onClose }: { newKey: NewKey | null; onClose: () => void }) {
  return (
    <Modal
      opened={newKey !== null}
      onClose={onClose}
      title={newKey?.replacedHint ? `New key for ${newKey.customerName} (rotated)` : `New key for ${newKey?.customerName ?? ''}`}
      centered
      size="lg"
      closeOnClickOutside={false}
      closeOnEscape={false}
      data-testid="new-key-modal"
    >
      {newKey ? (
        <Stack gap="md">
          <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="Shown once" variant="light">
            <Text size="sm">
              Copy this key now and give it to the customer. ArbDesk keeps only a hash of it: once this window is closed nobody can show it
              again. {newKey.replacedHint ? `The old key ${newKey.replacedHint} has stopped working.` : ''}
            </Text>
          </Alert>
          <Code block className={classes.keyValue} data-testid="new-key-value" aria-label="The new API key">
            {newKey.key}
          </Code>
          <Group justify="space-between">
            <CopyButton value={newKey.key} timeout={2000}>
              {({ copied, copy }) => (
                <Button onClick={copy} color={copied ? 'teal' : undefined} leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />} data-testid="new-key-copy">
                  {copied ? 'Copied' : 'Copy key'}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={onClose} data-testid="new-key-done">
              I have copied it — close
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            It will be listed as {newKey.hint}.
          </Text>
        </Stack>
      ) : null}
    </Modal>
  );
}
