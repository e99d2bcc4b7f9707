/**
 * Per-key limits, in memory (they protect the upstream and the owner's margin, not money:
 * money is guarded by the ledger reservation). Requests per minute and tokens per minute are
 * token buckets that refill continuously (a full minute's allowance may be used in a burst);
 * concurrency is a counter released when the request ends, on every exit path.
 */
export interface KeyLimitSpec {
  rpm: number | null;
  tpm: number | null;
  maxConcurrent: number | null;
}

export type Admission = { ok: true; release: () => void } | { ok: false; reason: string; retryAfterSeconds: number };

class Bucket {
  tokens: number;
  updated: number;
  constructor(readonly perMinute: number, now: number) {
    this.tokens = perMinute;
    this.updated = now;
  }
  refill(now: number): void {
    this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.updated) / 60_000) * this.perMinute);
    this.updated = now;
  }
  /** Seconds until `amount` is available (0 when it is now). */
  wait(amount: number): number {
    const missing = Math.min(amount, this.perMinute) - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing / this.perMinute) * 60);
  }
}

interface KeyState {
  rpm?: Bucket;
  tpm?: Bucket;
  inFlight: number;
}

export class RateLimiter {
  private readonly states = new Map<string, KeyState>();

  constructor(private readonly now: () => number = Date.now) {}

  admit(keyId: string, spec: KeyLimitSpec, estimatedTokens: number): Admission {
    if (spec.rpm === null && spec.tpm === null && spec.maxConcurrent === null) return { ok: true, release: noop };
    const now = this.now();
    let state = this.states.get(keyId);
    if (!state) {
      state = { inFlight: 0 };
      this.states.set(keyId, state);
    }
    if (spec.rpm !== null && state.rpm?.perMinute !== spec.rpm) state.rpm = new Bucket(spec.rpm, now);
    if (spec.tpm !== null && state.tpm?.perMinute !== spec.tpm) state.tpm = new Bucket(spec.tpm, now);
    if (spec.maxConcurrent !== null && state.inFlight >= spec.maxConcurrent) {
      return { ok: false, reason: `this key allows ${spec.maxConcurrent} concurrent request${spec.maxConcurrent === 1 ? '' : 's'}; wait for one to finish`, retryAfterSeconds: 1 };
    }
    if (state.rpm && spec.rpm !== null) {
      state.rpm.refill(now);
      const wait = state.rpm.wait(1);
      if (wait > 0) return { ok: false, reason: `this key allows ${spec.rpm} requests per minute`, retryAfterSeconds: wait };
    }
    if (state.tpm && spec.tpm !== null) {
      state.tpm.refill(now);
      const wait = state.tpm.wait(estimatedTokens);
      // The limit counts the most a request can use (prompt estimate + max_tokens), as the hold does.
      const most = estimatedTokens > spec.tpm ? `; this request may use up to ${estimatedTokens} (prompt + max_tokens): lower max_tokens to pass sooner` : '';
      if (wait > 0) return { ok: false, reason: `this key allows ${spec.tpm} tokens per minute${most}`, retryAfterSeconds: wait };
    }
    if (state.rpm) state.rpm.tokens -= 1;
    if (state.tpm) state.tpm.tokens -= Math.min(estimatedTokens, state.tpm.perMinute);
    state.inFlight += 1;
    let released = false;
    const s = state;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        s.inFlight -= 1;
      },
    };
  }

  forget(keyId: string): void {
    this.states.delete(keyId);
  }
}

function noop(): void {}
