/** The loading line and the "could not load" alert every screen shows while it fetches. */
import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';

export function Loading({ label }: { label: string }) {
  return (
    <Group gap="sm">
      <Loader size="sm" />
      <Text size="sm">{label}</Text>
    </Group>
  );
}

/** `retry` is omitted where trying again cannot help (e.g. a record that does not exist). */
export function LoadError({ title, message, retry, testId }: { title: string; message: string; retry?: (() => void) | undefined; testId?: string }) {
  return (
    <Alert color="red" title={title} icon={<IconX aria-hidden />} role="alert" data-testid={testId}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{message}</Text>
        {retry ? (
          <Button size="xs" variant="light" onClick={retry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}
