import { Code, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDateTime, formatDuration } from '../../components/format';
import { useNow } from '../../components/useNow';
import { useAppStore } from '../../store';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {children}
      </Text>
    </Stack>
  );
}

function Uptime({ seconds, receivedAt }: { seconds: number; receivedAt: number }) {
  const now = useNow();
  return <>{formatDuration(seconds + Math.max(0, now - receivedAt) / 1000)}</>;
}

/** Version, mode, uptime and data dir from `system.status`. */
export function SystemInfo() {
  const system = useAppStore((s) => s.system);
  return (
    <Paper withBorder p="md" radius="md">
      {system ? (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Fact label="Version" testId="system-version">
            {system.version}
          </Fact>
          <Fact label="Mode" testId="system-mode">
            {system.mode}
          </Fact>
          <Fact label="Uptime" testId="system-uptime">
            <span title={`Started ${formatDateTime(system.startedAt)}`}>
              <Uptime seconds={system.uptimeSeconds} receivedAt={system.receivedAt} />
            </span>
          </Fact>
          <Fact label="Data dir" testId="system-data-dir">
            <Code>{system.dataDir}</Code>
          </Fact>
        </SimpleGrid>
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md" aria-busy="true" aria-label="Loading system status">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={36} />
          ))}
        </SimpleGrid>
      )}
    </Paper>
  );
}
