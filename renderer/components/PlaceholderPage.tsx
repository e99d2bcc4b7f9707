import { Alert, Stack, Text } from '@mantine/core';
import { IconHourglassEmpty } from '@tabler/icons-react';
import { PageTitle } from './PageTitle';

/** A screen that is not built yet: says what will appear there and with which capability. */
export function PlaceholderPage({ title, what, arrives }: { title: string; what: string; arrives: string }) {
  return (
    <Stack gap="md" maw={720}>
      <PageTitle>{title}</PageTitle>
      <Alert variant="light" color="gray" icon={<IconHourglassEmpty aria-hidden />} title="Not here yet">
        <Text size="sm">
          {what} — {arrives}.
        </Text>
      </Alert>
    </Stack>
  );
}
