/** What the shop bot says. English for now; the storefront issue adds a second language. */
export function welcomeText(firstName: string | undefined): string {
  const name = firstName ? `, ${firstName}` : '';
  return [
    `Welcome${name}! This is an AI-access shop.`,
    'You can buy API access to AI models here and use it from your own programs through an OpenAI-compatible endpoint.',
    '',
    'The catalog and checkout are being set up. Send /help to see what the bot can do.',
  ].join('\n');
}

export function helpText(isOwner: boolean): string {
  const lines = [
    'Commands:',
    '/start — welcome and registration',
    '/help — this list',
  ];
  if (isOwner) lines.push('', 'You are an owner of this shop. Owner commands arrive with the storefront.');
  return lines.join('\n');
}
