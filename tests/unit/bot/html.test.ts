import { describe, expect, it } from 'vitest';
import { splitHtml } from '../../../services/bot/core.js';
import { cut, fromBase, parseUsdCents } from '../../../services/bot/format.js';
import { esc, html, Html, pre, visibleLength } from '../../../services/bot/html.js';
import { quickstart } from '../../../services/bot/quickstart.js';
import { catalogs } from '../../../services/bot/i18n/index.js';
import { parseTelegramHtml } from '../../fakes/telegram-html.js';

describe('html', () => {
  it('escapes interpolations but not nested Html', () => {
    expect(esc('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
    const name = '</b><a href="x">';
    const h = html`<b>${name}</b> ${html`<i>${'&'}</i>`} ${3} ${null}`;
    expect(h.value).toBe('<b>&lt;/b&gt;&lt;a href=&quot;x&quot;&gt;</b> <i>&amp;</i> 3 ');
    expect(parseTelegramHtml(h.value).text).toBe('</b><a href="x"> & 3 ');
    expect(visibleLength(h)).toBe(parseTelegramHtml(h.value).text.length);
  });

  it('splits long messages at line ends outside tags, each part valid on its own', () => {
    const lines = Array.from({ length: 300 }, (_, i) => html`• item ${i}: <b>${'x'.repeat(20)}</b> ${'& more'}`);
    const block = pre('line\n'.repeat(50));
    const long = new Html([...lines.map((l) => l.value), block.value, 'end'].join('\n'));
    const parts = splitHtml(long, 4000);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(visibleLength(p)).toBeLessThanOrEqual(4000);
      parseTelegramHtml(p.value);
    }
    expect(parts.map((p) => parseTelegramHtml(p.value).text).join('\n')).toBe(parseTelegramHtml(long.value).text);
  });

  it('builds quick-starts that survive shell, Python and JavaScript quoting', () => {
    const key = "sk-arb-it's<&>";
    const q = quickstart(catalogs.en, 'https://ai.example.com/ai-proxy/', key, 'openai/gpt-4o');
    const text = parseTelegramHtml(q.value).text;
    expect(text).toContain('curl https://ai.example.com/ai-proxy/v1/chat/completions');
    expect(text).toContain(`-H "Authorization: Bearer ${key}"`);
    expect(text).toContain(`api_key="sk-arb-it's<&>"`);
    expect(text).toContain(`apiKey: 'sk-arb-it\\'s<&>'`);
    expect(text).toContain(`-d '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hello!"}]}'`);
  });
});

describe('format', () => {
  it('converts base units exactly', () => {
    expect(fromBase('123450000', 8)).toBe('1.2345');
    expect(fromBase('1000000000000000000', 18)).toBe('1');
    expect(fromBase('1', 18)).toBe('0.000000000000000001');
    expect(fromBase('58', 0)).toBe('58');
  });

  it('reads USD amounts customers type', () => {
    expect(parseUsdCents('25')).toBe(2500);
    expect(parseUsdCents('12.5')).toBe(1250);
    expect(parseUsdCents('$12,50')).toBe(1250);
    for (const bad of ['0', 'abc', '1.234', '-5', '']) expect(parseUsdCents(bad), bad).toBeNull();
  });

  it('cuts without splitting an emoji', () => {
    expect(cut('ab😀', 3)).toEqual({ text: 'ab', cut: true });
    expect(cut('abc', 3)).toEqual({ text: 'abc', cut: false });
  });
});
