import { Alert } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useAppStore } from '../store';
import { describeConnectionProblem } from '../store/connection';
import classes from './ConnectionBanner.module.css';

/** Says, in words, why the UI cannot talk to the services host (or that it is restarting). */
export function ConnectionBanner() {
  const connection = useAppStore((s) => s.connection);
  const problem = describeConnectionProblem(connection);
  if (!problem) return null;
  return (
    <div className={classes.sticky}>
      <Alert
        role="alert"
        data-testid="connection-banner"
        variant="filled"
        color={problem.severity === 'error' ? 'red' : 'orange'}
        icon={<IconPlugConnectedX aria-hidden />}
        title={problem.title}
        py="xs"
      >
        {problem.message}
      </Alert>
    </div>
  );
}
