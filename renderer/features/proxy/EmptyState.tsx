import { Anchor, Code, List, Paper, Stack, Text, Title } from '@mantine/core';
import { hrefFor } from '../../router/routes';
import { useAppStore } from '../../store';

/** Shown until the proxy has served its first request: how to get one. */
export function EmptyState() {
  const url = useAppStore((s) => s.services.proxy?.detail.url ?? null);
  const trimmed = url?.replace(/\/+$/, '') ?? null;
  const base = trimmed === null ? null : /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
  return (
    <Paper withBorder p="lg" radius="md" data-testid="proxy-empty" component="section" aria-labelledby="proxy-empty-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="proxy-empty-title">
          No requests yet
        </Title>
        <Text size="sm">
          Figures, the chart and the request list fill in as soon as a customer calls the proxy. To send the first request
          yourself:
        </Text>
        <List type="ordered" size="sm" spacing={6}>
          <List.Item>
            Add a customer (or find one with <Code>arbdesk customers list</Code>): <Code>arbdesk customers add --name "Test"</Code>
          </List.Item>
          <List.Item>
            Give them some credit: <Code>arbdesk credit &lt;customerId&gt; 5</Code>
          </List.Item>
          <List.Item>
            Issue a key: <Code>arbdesk keys issue &lt;customerId&gt;</Code> — the <Code>sk-arb-…</Code> key is shown once.
          </List.Item>
          <List.Item>
            Call the proxy with that key as an OpenAI-compatible <Code>base_url</Code>:{' '}
            {base ? (
              <>
                <Code data-testid="proxy-empty-url">{base}</Code> (also on the <Anchor href={hrefFor('status')}>Status</Anchor> screen)
              </>
            ) : (
              <>
                the proxy URL shown on the <Anchor href={hrefFor('status')}>Status</Anchor> screen, plus <Code>/v1</Code>
              </>
            )}
            , for example <Code>POST {base ?? '…/v1'}/chat/completions</Code> with <Code>Authorization: Bearer sk-arb-…</Code>.
          </List.Item>
        </List>
      </Stack>
    </Paper>
  );
}
