import { Stack, Title } from '@mantine/core';
import { useEffect } from 'react';
import { api } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { appStore } from '../../store';
import { loadLogTail } from '../../store/sync';
import { LiveLog } from './LiveLog';
import { ServicesTable } from './ServicesTable';
import { SystemInfo } from './SystemInfo';

export function StatusPage() {
  // The log tail when the screen opens (de-duplicated against what the store already has);
  // live `log` and `service.status` events keep it current afterwards.
  useEffect(() => {
    void loadLogTail(api, appStore);
  }, []);

  return (
    <Stack gap="lg">
      <PageTitle>Status</PageTitle>
      <SystemInfo />
      <section aria-labelledby="services-title">
        <Title order={2} size="h4" id="services-title" mb="xs">
          Services
        </Title>
        <ServicesTable />
      </section>
      <LiveLog />
    </Stack>
  );
}
