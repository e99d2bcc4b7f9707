import { Button, Group, SegmentedControl, Text, Title } from '@mantine/core';
import { IconArrowDown } from '@tabler/icons-react';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LogLevel, LogLine } from '../../../services/contract';
import { formatClock, formatDateTime } from '../../components/format';
import { useAppStore } from '../../store';
import { LOG_LEVELS } from '../../store/levels';
import { filterByLevel, logKey } from '../../store/logs';
import classes from './LiveLog.module.css';

/** How close to the bottom (px) still counts as "following" the log. */
const FOLLOW_SLACK = 24;

const LineView = memo(function LineView({ line }: { line: LogLine }) {
  return (
    <div className={classes.line} data-testid="log-line" data-level={line.level} data-seq={line.seq}>
      <time className={classes.time} dateTime={line.time} title={formatDateTime(line.time)}>
        {formatClock(line.time, true)}
      </time>
      <span className={`${classes.level} ${classes[line.level] ?? ''}`}>{line.level}</span>
      <span className={classes.service} title={line.service}>
        {line.service ?? '—'}
      </span>
      <span className={classes.msg}>
        {line.msg}
        {line.event ? <span className={classes.event}>{line.event}</span> : null}
      </span>
    </div>
  );
});

/**
 * The last log lines, newest at the bottom. Follows new lines while scrolled to the bottom;
 * once the owner scrolls up it stays put and offers a "Jump to latest" button.
 */
export function LiveLog() {
  const lines = useAppStore((s) => s.logs);
  const [minLevel, setMinLevel] = useState<LogLevel>('trace');
  const shown = useMemo(() => filterByLevel(lines, minLevel), [lines, minLevel]);
  const box = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);

  const onScroll = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= FOLLOW_SLACK;
    followingRef.current = atBottom;
    setFollowing(atBottom);
  }, []);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && followingRef.current) el.scrollTop = el.scrollHeight;
  }, [shown]);

  const jumpToLatest = () => {
    const el = box.current;
    if (!el) return;
    followingRef.current = true;
    setFollowing(true);
    el.scrollTop = el.scrollHeight;
  };

  return (
    <section aria-labelledby="live-log-title">
      <Group justify="space-between" align="end" mb="xs" wrap="wrap" gap="sm">
        <Title order={2} size="h4" id="live-log-title">
          Live log
        </Title>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" c="dimmed" id="log-level-label">
            Minimum level
          </Text>
          <SegmentedControl
            size="xs"
            aria-labelledby="log-level-label"
            value={minLevel}
            onChange={(value) => setMinLevel(value as LogLevel)}
            data={LOG_LEVELS.map((level) => ({ value: level, label: level === 'trace' ? 'all' : level }))}
          />
        </Group>
      </Group>
      <div
        ref={box}
        className={classes.tail}
        data-testid="log-tail"
        role="log"
        aria-label="Live log"
        aria-live="off"
        tabIndex={0}
        onScroll={onScroll}
      >
        {shown.length === 0 ? (
          <div className={classes.empty}>{lines.length === 0 ? 'No log lines yet.' : 'No lines at this level.'}</div>
        ) : (
          shown.map((line) => <LineView key={logKey(line)} line={line} />)
        )}
        {!following && shown.length > 0 ? (
          <div className={classes.jump}>
            <Button size="compact-xs" leftSection={<IconArrowDown size={14} aria-hidden />} onClick={jumpToLatest}>
              Jump to latest
            </Button>
          </div>
        ) : null}
      </div>
    </section>
  );
}
