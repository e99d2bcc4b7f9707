/** Reconnect delays: 0.5 s, 1 s, 2 s, 4 s, 8 s, then 15 s, each ±20 % so tabs do not retry in step. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** Math.max(0, attempt), 15_000);
  const jitter = 0.8 + 0.4 * random();
  return Math.round(base * jitter);
}
