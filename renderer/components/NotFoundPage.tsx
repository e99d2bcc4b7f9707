import { Anchor, Stack, Text } from '@mantine/core';
import { hrefFor } from '../router/routes';
import { PageTitle } from './PageTitle';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <Stack gap="sm">
      <PageTitle>No such screen</PageTitle>
      <Text>
        There is no screen called “{path}”. Go to <Anchor href={hrefFor('status')}>Status</Anchor>.
      </Text>
    </Stack>
  );
}
