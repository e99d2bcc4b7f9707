import { Button, Center, Code, Paper, Stack, Text, Title } from '@mantine/core';

/**
 * Full-page message when the control server answers 401. The renderer never sees the owner
 * token: opening the login URL sets a cookie, then the page reloads signed in.
 */
export function NotSignedIn() {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" maw={560}>
        <Stack gap="md">
          <Text size="sm" c="dimmed" fw={600}>
            ArbDesk
          </Text>
          <div role="alert" data-testid="not-signed-in">
            <Title order={1} size="h2" mb="sm">
              Not signed in
            </Title>
            <Text>
              Open the login URL printed by <Code>arbdesk serve</Code> (or run <Code>arbdesk url</Code>).
            </Text>
          </div>
          <Button variant="light" onClick={() => window.location.reload()} w="fit-content">
            Try again
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
