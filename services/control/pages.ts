/** The few plain pages the control server shows before the dashboard can (no scripts: CSP). */
const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} — ArbDesk</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:.1rem .3rem;border-radius:3px}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function unauthorizedPage(message: string): string {
  return page(
    'Not signed in',
    `<p>${escape(message)}</p><p>The login URL is printed when <code>arbdesk serve</code> starts. To see it again, run <code>arbdesk url</code> (add <code>--data-dir</code> if you use one).</p>`,
  );
}

export function notBuiltPage(): string {
  return page('Dashboard not built', '<p>The renderer bundle is missing. Run <code>npm run build</code> in the ArbDesk folder, then reload.</p>');
}
