import { AppShell, Burger, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import {
  IconActivityHeartbeat,
  IconFileInvoice,
  IconHeadset,
  IconHome,
  IconPackage,
  IconReportAnalytics,
  IconRouteAltLeft,
  IconSettings,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { useEffect, useRef, type ReactNode } from 'react';
import { ROUTES, hrefFor, type RouteId } from '../router/routes';
import { ConnectionBanner } from './ConnectionBanner';
import classes from './AppFrame.module.css';
import './contrast.css';
import { OwnerAlerts } from './OwnerAlerts';
import { focusMain, screenForShortcut, shortcutLabel } from './keyboard';
import { OverallBadge } from './OverallBadge';
import { ThemeToggle } from './ThemeToggle';

const ICONS: Record<RouteId, Icon> = {
  overview: IconHome,
  proxy: IconRouteAltLeft,
  customers: IconUsers,
  packages: IconPackage,
  invoices: IconFileInvoice,
  support: IconHeadset,
  reports: IconReportAnalytics,
  settings: IconSettings,
  status: IconActivityHeartbeat,
};

export function AppFrame({ active, children }: { active: RouteId | null; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  // Below the `sm` breakpoint the navbar slides off-screen when closed; make it inert then, so
  // Tab does not wander through links nobody can see.
  const narrow = useMediaQuery('(max-width: 48em)');
  const navHidden = narrow === true && !opened;
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // On a screen change (not the first load), move focus to the new page's heading.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('[data-page-title]')?.focus();
    close();
  }, [active, close]);

  // Alt+1 … Alt+9 open the screens in navbar order (see keyboard.ts and the README).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const id = screenForShortcut(event);
      if (!id) return;
      event.preventDefault();
      if (window.location.hash !== hrefFor(id)) window.location.hash = hrefFor(id);
      else focusMain(main.current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a
        href="#main-content"
        className={classes.skipLink}
        onClick={(event) => {
          // Hash routing: a plain #fragment would be read as a screen name, so move focus by hand.
          event.preventDefault();
          focusMain(main.current);
        }}
      >
        Skip to main content
      </a>
      <OwnerAlerts />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={2} size="h3" fw={700}>
              ArbDesk
            </Title>
            <OverallBadge />
          </Group>
          <ThemeToggle />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Screens" inert={navHidden}>
        <AppShell.Section grow component={ScrollArea}>
          {ROUTES.map((route, index) => {
            const Icon = ICONS[route.id];
            const isActive = route.id === active;
            const shortcut = shortcutLabel(index);
            return (
              <NavLink
                key={route.id}
                component="a"
                href={hrefFor(route.id)}
                label={route.label}
                leftSection={<Icon size={18} stroke={1.6} aria-hidden />}
                active={isActive}
                aria-current={isActive ? 'page' : undefined}
                {...(shortcut ? { 'aria-keyshortcuts': shortcut, title: `${route.label} (${shortcut})` } : {})}
              />
            );
          })}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" pb="xs">
            Owner console · Alt+1…{Math.min(ROUTES.length, 9)} switch screens
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main ref={main} id="main-content" tabIndex={-1} style={{ outline: 'none' }}>
        <ConnectionBanner />
        <div style={{ paddingTop: 'var(--mantine-spacing-md)' }}>{children}</div>
      </AppShell.Main>
    </AppShell>
  );
}
