/** What the upstream receives: the customer's bytes, except the policy's fields. */
import { describe, expect, it } from 'vitest';
import { parseChatBody } from '../../../services/proxy/body.js';
import { bodyToForward } from '../../../services/proxy/forward-body.js';

const forward = (text: string, maxTokens: number) => {
  const raw = Buffer.from(text);
  const out = bodyToForward(raw, parseChatBody(raw), maxTokens);
  return { same: out === raw, text: out.toString(), json: JSON.parse(out.toString()) as Record<string, unknown> };
};

describe('bodyToForward', () => {
  it('forwards the bytes as sent when nothing needs changing (key order, spacing and escapes kept)', () => {
    const text = '{ "model": "m",  "messages": [{"role":"user","content":"héllo ✓"}], "max_tokens": 64, "tools": [{"type":"function"}] }';
    expect(forward(text, 64)).toMatchObject({ same: true, text });
    const streamed = '{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":64,"stream":true,"stream_options":{"include_usage":true}}';
    expect(forward(streamed, 64).same).toBe(true);
  });

  it('appends only the keys the body lacks, keeping its own bytes', () => {
    const out = forward('{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true}\n', 100);
    expect(out.text).toBe('{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true,"max_tokens":100,"stream_options":{"include_usage":true}}');
    expect(forward('{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":7,"stream":true}', 7).json.stream_options).toEqual({ include_usage: true });
  });

  it('clamps a budget over the reservation, and keeps the customer\'s other stream options', () => {
    const out = forward('{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":99999,"stream":true,"stream_options":{"include_obfuscation":false}}', 4096);
    expect(out.json).toMatchObject({ max_tokens: 4096, stream_options: { include_obfuscation: false, include_usage: true } });
    expect(forward('{"model":"m","messages":[{"role":"user","content":"x"}],"max_completion_tokens":99999}', 4096).json).toMatchObject({ max_completion_tokens: 4096 });
  });

  it('never trusts bytes another parser could read differently: duplicated, escaped or doubled budget keys are rewritten', () => {
    const dup = forward('{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":100000,"max_tokens":64}', 64);
    expect(dup.same).toBe(false);
    expect(dup.text.match(/max_tokens/g)).toHaveLength(1);
    const escaped = forward('{"model":"m","messages":[{"role":"user","content":"x"}],"max\\u005ftokens":100000,"max_tokens":64}', 64);
    expect(escaped.same).toBe(false);
    expect(escaped.json.max_tokens).toBe(64);
    expect(forward('{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":100000,"max_completion_tokens":64}', 64).json).toMatchObject({ max_tokens: 64, max_completion_tokens: 64 });
  });
});
