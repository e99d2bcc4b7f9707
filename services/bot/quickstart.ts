/** Copy-paste quick-starts for a delivered key: curl, Python and Node, against the proxy. */
import { html, pre, type Html } from './html.js';
import type { Catalog } from './i18n/index.js';

export function quickstart(texts: Catalog, proxyBaseUrl: string, key: string, model: string): Html {
  const base = `${proxyBaseUrl.replace(/\/+$/, '')}/v1`;
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello!' }] });
  const curl = [
    `curl ${base}/chat/completions \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    '  -H "Content-Type: application/json" \\',
    `  -d '${body.replace(/'/g, "'\\''")}'`,
  ].join('\n');
  const python = [
    'from openai import OpenAI',
    '',
    `client = OpenAI(base_url=${JSON.stringify(base)}, api_key=${JSON.stringify(key)})`,
    'reply = client.chat.completions.create(',
    `    model=${JSON.stringify(model)},`,
    '    messages=[{"role": "user", "content": "Hello!"}],',
    ')',
    'print(reply.choices[0].message.content)',
  ].join('\n');
  const node = [
    "import OpenAI from 'openai';",
    '',
    `const client = new OpenAI({ baseURL: ${quote(base)}, apiKey: ${quote(key)} });`,
    'const reply = await client.chat.completions.create({',
    `  model: ${quote(model)},`,
    "  messages: [{ role: 'user', content: 'Hello!' }],",
    '});',
    'console.log(reply.choices[0].message.content);',
  ].join('\n');
  return html`${texts.quickstartTitle(base)}

${texts.quickstartCurl}:
${pre(curl, 'bash')}
${texts.quickstartPython}:
${pre(python, 'python')}
${texts.quickstartNode}:
${pre(node, 'javascript')}`;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
