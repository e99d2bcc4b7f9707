import { Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * The page's h1. It takes focus when the screen changes (AppFrame does that), so keyboard
 * and screen-reader users land at the top of the new screen.
 */
export function PageTitle({ children }: { children: ReactNode }) {
  return (
    <Title order={1} size="h2" tabIndex={-1} data-page-title style={{ outline: 'none' }}>
      {children}
    </Title>
  );
}
