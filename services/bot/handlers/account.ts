/** /balance, /usage and /keys (masked list, rotate shown once, revoke after a confirmation). */
import { button, customerOrPrompt, say, sayShopError, type BotCore, type Button } from '../core.js';
import { joinHtml, type Html } from '../html.js';
import { t } from '../i18n/index.js';

const RECENT_REQUESTS = 10;

export async function showBalance(core: BotCore, userId: number): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  const b = core.shop.balance(customer.id);
  const lines: Html[] = [texts.balance(b.availableMicro, b.heldMicro)];
  const live = b.allowances.filter((a) => !a.expired || a.remainingTokens > 0);
  if (live.length) lines.push(texts.allowancesTitle, ...live.map((a) => texts.allowanceLine(a)));
  else lines.push(texts.noAllowances);
  await say(core, userId, joinHtml(lines));
}

export async function showUsage(core: BotCore, userId: number): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  const u = core.shop.usage(customer.id);
  if (u.recent.length === 0 && u.byModel.length === 0) {
    await say(core, userId, texts.usageEmpty);
    return;
  }
  const lines: Html[] = [];
  if (u.recent.length) lines.push(texts.usageRecentTitle, ...u.recent.slice(0, RECENT_REQUESTS).map((r) => texts.usageLine(r)));
  if (u.byModel.length) lines.push(texts.usageByModelTitle, ...u.byModel.map((m) => texts.usageModelLine(m)));
  await say(core, userId, joinHtml(lines));
}

export async function showKeys(core: BotCore, userId: number): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  const keys = core.shop.keys(customer.id);
  if (keys.length === 0) {
    await say(core, userId, texts.keysEmpty);
    return;
  }
  // Newest first; a long history of rotated keys is summarised by the newest 15.
  const shown = [...keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 15);
  const keyboard: Button[][] = shown
    .filter((k) => k.status === 'active')
    .map((k) => [button(texts.btnRotate(k.hint), { action: 'key', op: 'rot', keyId: k.id }), button(texts.btnRevoke(k.hint), { action: 'key', op: 'rev', keyId: k.id })]);
  await say(core, userId, joinHtml([texts.keysTitle, ...shown.map((k) => texts.keyLine(k))]), keyboard);
}

export async function onKeyAction(core: BotCore, userId: number, op: 'rot' | 'rev' | 'revok' | 'keep', keyId: string): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  // Only the customer's own, active keys: a forged or stale key id changes nothing.
  const key = core.shop.keys(customer.id).find((k) => k.id === keyId);
  if (!key || (op !== 'keep' && key.status !== 'active')) {
    await say(core, userId, texts.notFound);
    return;
  }
  try {
    switch (op) {
      case 'rev':
        await say(core, userId, texts.confirmRevoke(key.hint), [
          [button(texts.btnConfirmRevoke, { action: 'key', op: 'revok', keyId: key.id }), button(texts.btnCancel, { action: 'key', op: 'keep', keyId: key.id })],
        ]);
        return;
      case 'keep':
        await say(core, userId, texts.keyKept);
        return;
      case 'revok': {
        const revoked = core.shop.revokeKey(customer.id, key.id);
        core.log.info({ event: 'bot.key_revoked', customerId: customer.id, keyId: key.id }, 'key revoked by the customer');
        await say(core, userId, texts.keyRevoked(revoked.hint));
        return;
      }
      case 'rot': {
        const rotated = core.shop.rotateKey(customer.id, key.id);
        core.log.info({ event: 'bot.key_rotated', customerId: customer.id, keyId: key.id, newKeyId: rotated.record.id }, 'key rotated by the customer');
        await say(core, userId, texts.keyRotated(rotated.key));
        return;
      }
    }
  } catch (error) {
    await sayShopError(core, userId, error);
  }
}
