/**
 * HTML for Telegram's `parse_mode: 'HTML'`. Every message the bot sends with a parse mode is an
 * `Html` value built with the `html` tag, which escapes whatever is interpolated (customer
 * names, package descriptions, ticket texts, keys) unless it is itself `Html`. A plain string
 * can therefore never reach Telegram as markup by accident.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes the three characters Telegram's HTML parse mode requires (&, <, >) and quotes. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

type Part = Html | string | number | bigint | null | undefined;

/** html`Hello, ${name}!` — interpolations are escaped; Html values are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: (Part | Part[])[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(v: Part | Part[]): string {
  if (Array.isArray(v)) return v.map(render).join('');
  if (v instanceof Html) return v.value;
  if (v === null || v === undefined) return '';
  return esc(String(v));
}

/** Joins Html (and escaped text) with a separator. */
export function joinHtml(parts: (Html | string)[], separator = '\n'): Html {
  return new Html(parts.map((p) => render(p)).join(esc(separator)));
}

/** Inline code (copyable with one tap in Telegram). */
export function code(text: string): Html {
  return html`<code>${text}</code>`;
}

/** A code block, with the language for syntax highlighting. */
export function pre(text: string, language?: string): Html {
  return language ? html`<pre><code class="language-${language}">${text}</code></pre>` : html`<pre>${text}</pre>`;
}

export function bold(text: string | Html): Html {
  return html`<b>${text}</b>`;
}

/** Text length as Telegram counts it after parsing (entities removed, entities decoded). */
export function visibleLength(h: Html): number {
  return h.value.replace(/<[^>]+>/g, '').replace(/&(amp|lt|gt|quot);/g, '_').length;
}
