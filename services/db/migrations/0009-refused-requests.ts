import type { Migration } from './index.js';

/**
 * Chat requests with a known key that the proxy refused before sending anything upstream (400,
 * 402, 403, 404, 413, 429, 503, or the customer leaving while sending the body): one row each,
 * so "every request leaves one record" holds for them too. Kept apart from `requests` because
 * they cost nothing and are not usage: the P&L, request counts and per-model totals read
 * `requests` and stay about requests that were served. `code` is the OpenAI error code the
 * customer got (insufficient_balance, rate_limited, model_not_allowed, …); `model` is '' when
 * the body could not be read.
 */
export const m0009_refused_requests: Migration = {
  version: 9,
  name: 'refused requests',
  sql: `
    CREATE TABLE refused_requests (
      id           TEXT    PRIMARY KEY,
      at           TEXT    NOT NULL,
      key_id       TEXT    NOT NULL,
      customer_id  TEXT    NOT NULL,
      model        TEXT    NOT NULL,
      stream       INTEGER NOT NULL,
      status       INTEGER NOT NULL,
      code         TEXT    NOT NULL,
      latency_ms   INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX refused_requests_customer ON refused_requests (customer_id, at);
    CREATE INDEX refused_requests_at ON refused_requests (at);
  `,
};
