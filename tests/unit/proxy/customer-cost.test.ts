import { describe, expect, it } from 'vitest';
import { customerUsageJson, trailingUsageEventStart, waitingFrom, withCustomerCost, withCustomerCostInStream } from '../../../services/proxy/customer-cost.js';

const OPENROUTER_USAGE =
  '{"prompt_tokens":194,"completion_tokens":2,"total_tokens":196,"cost":0.000123456,"is_byok":false,"cost_details":{"upstream_inference_cost":null},"prompt_tokens_details":{"cached_tokens":0}}';

describe('the usage a customer sees', () => {
  it('shows the charge as cost (USD, whole µUSD) and drops the owner-account fields; tokens and order stay', () => {
    const json = customerUsageJson(JSON.parse(OPENROUTER_USAGE), 155);
    expect(json).toBe('{"prompt_tokens":194,"completion_tokens":2,"total_tokens":196,"cost":0.000155,"prompt_tokens_details":{"cached_tokens":0}}');
    expect(customerUsageJson({ prompt_tokens: 1, completion_tokens: 1, cost: 0.5 }, 1_250_000)).toBe('{"prompt_tokens":1,"completion_tokens":1,"cost":1.25}');
  });

  it('leaves a usage without cost untouched (an OpenAI-style upstream)', () => {
    expect(customerUsageJson({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 }, 99)).toBeNull();
  });

  it('replaces only the usage of a whole completion body, byte for byte elsewhere', () => {
    const head = '{"id":"gen-1","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"say \\"usage\\": {\\"cost\\": 1}"}}],"usage":';
    const raw = Buffer.from(`${head}${OPENROUTER_USAGE}}\n`);
    const out = withCustomerCost(raw, 0, raw.length, 7)!.toString();
    expect(out.startsWith(head)).toBe(true);
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out).usage).toEqual({ prompt_tokens: 194, completion_tokens: 2, total_tokens: 196, cost: 0.000007, prompt_tokens_details: { cached_tokens: 0 } });
    expect(JSON.parse(out).choices[0].message.content).toBe('say "usage": {"cost": 1}');
  });

  it('forwards other shapes unchanged: usage not last, usage inside a string, not JSON', () => {
    const notLast = Buffer.from(`{"id":"x","usage":${OPENROUTER_USAGE},"model":"m"}`);
    expect(withCustomerCost(notLast, 0, notLast.length, 1)).toBeNull();
    const inString = Buffer.from('{"id":"x","content":"\\"usage\\":{\\"cost\\":1}"}');
    expect(withCustomerCost(inString, 0, inString.length, 1)).toBeNull();
    const broken = Buffer.from('{"id":"x","usage":{"cost":');
    expect(withCustomerCost(broken, 0, broken.length, 1)).toBeNull();
  });

  const event = (data: string, eol = '\n') => `data: ${data}${eol}${eol}`;
  const content = event('{"id":"gen-2","choices":[{"index":0,"delta":{"content":"hi"}}]}');
  const usageEvent = event(`{"id":"gen-2","choices":[],"usage":${OPENROUTER_USAGE}}`);

  it('replaces the cost in the last usage event of a stream, with LF or CRLF lines', () => {
    for (const eol of ['\n', '\r\n']) {
      const stream = Buffer.from(`: OPENROUTER PROCESSING${eol}${eol}${event('{"id":"gen-2","choices":[]}', eol)}${event(`{"id":"gen-2","choices":[],"usage":${OPENROUTER_USAGE}}`, eol)}data: [DONE]${eol}${eol}`);
      const out = withCustomerCostInStream(stream, 155)!.toString();
      const lines = out.split(eol).filter((l) => l.startsWith('data: {'));
      expect(JSON.parse(lines[1]!.slice(6)).usage).toMatchObject({ cost: 0.000155, prompt_tokens: 194 });
      expect(out).not.toContain('0.000123456');
      expect(out).not.toContain('is_byok');
      expect(out.endsWith(`data: [DONE]${eol}${eol}`)).toBe(true);
      expect(out.startsWith(`: OPENROUTER PROCESSING${eol}`)).toBe(true);
    }
  });

  it('leaves a stream alone when its usage has no cost or is null', () => {
    expect(withCustomerCostInStream(Buffer.from(content + event('{"id":"g","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}')), 5)).toBeNull();
    expect(withCustomerCostInStream(Buffer.from(event('{"id":"g","choices":[],"usage":null}')), 5)).toBeNull();
  });

  it('holds back a usage event only when it ends the bytes so far and carries an object', () => {
    const bytes = Buffer.from(content + usageEvent);
    expect(trailingUsageEventStart(bytes)).toBe(content.length);
    expect(trailingUsageEventStart(Buffer.from(usageEvent + content))).toBe(-1);
    expect(trailingUsageEventStart(Buffer.from(content))).toBe(-1);
    expect(trailingUsageEventStart(Buffer.from(content + event('{"id":"g","choices":[],"usage":null}')))).toBe(-1);
    // Cut inside the event: not whole yet, so not held (and never rewritten).
    expect(trailingUsageEventStart(Buffer.from(content + usageEvent.slice(0, 40)))).toBe(-1);
  });

  it('keeps waiting only a trailing usage event or an unfinished short line; everything else goes at once', () => {
    const bytes = Buffer.from(content + usageEvent);
    expect(waitingFrom(bytes)).toBe(content.length);
    expect(waitingFrom(Buffer.from(content))).toBe(content.length); // nothing waits
    const cut = Buffer.from(content + usageEvent.slice(0, 40));
    expect(waitingFrom(cut)).toBe(content.length); // the unfinished line waits for its end
    const longLine = Buffer.from(content + 'data: {"x":"' + 'y'.repeat(9000));
    expect(waitingFrom(longLine)).toBe(longLine.length); // too long to be a usage event: written as it comes
  });
});
