import '@mantine/core/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { api } from './api';
import { DEFAULT_ROUTE, hrefFor, parseHash } from './router/routes';
import { appStore } from './store';
import { startSync } from './store/sync';
import { theme } from './theme';

// Land on a real screen URL (`#/status`), so reloads and history show where the owner is.
if (parseHash(window.location.hash).path === '') {
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hrefFor(DEFAULT_ROUTE)}`);
}

startSync(api, appStore);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <App />
    </MantineProvider>
  </StrictMode>,
);
