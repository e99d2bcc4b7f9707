/**
 * Every language has every message, really translated, and every message is valid Telegram
 * HTML whatever is put into it (names, descriptions and ticket texts full of < > & ").
 */
import { describe, expect, it } from 'vitest';
import type { PackageView } from '../../../services/contract.js';
import { Html } from '../../../services/bot/html.js';
import { catalogs, detectLanguage, LANGUAGES, type Catalog } from '../../../services/bot/i18n/index.js';
import { parseTelegramHtml } from '../../fakes/telegram-html.js';
import { tokenPackage } from '../../fakes/telegram-shop.js';

const EVIL = '<b>Bob & "Co"</b> <script>';
const pkg: PackageView = tokenPackage('pkg_1', 'openai/gpt-4o', 100_000, 1_250_000, { description: EVIL });
const invoice = { id: 'inv_1', status: 'processing' as const, asset: 'BTC', due: '0.001', paid: '0.0005', confirmations: 1, required: 2, flags: ['underpaid', 'overpaid', 'late'], expiresAt: '2026-11-21T10:00:00.000Z' };

/** Arguments for every message that takes some (a new message needs a sample here). */
const SAMPLES: Record<string, unknown[]> = {
  welcome: [EVIL, EVIL],
  shopMessage: [EVIL],
  help: [true],
  terms: [EVIL],
  inputCut: [4000],
  unknownCommand: ['frob<'],
  unavailable: [EVIL],
  invalid: [EVIL],
  catalogPage: [[pkg, { ...pkg, priceMicro: null }], 0, 3],
  packageButton: [pkg],
  packageDetails: [pkg],
  btnBuy: [1_250_000],
  packageWhat: [pkg],
  topupWhat: ['12.50'],
  choosePayment: [EVIL, 750_000],
  cryptoInvoice: [{ invoiceId: 'inv_1', amount: '0.001', asset: 'BTC', network: 'Bitcoin', address: 'bc1q<x>', uri: 'bitcoin:bc1q?amount=0.001&label=a<b', expiresAt: '2026-11-21T10:00:00.000Z' }],
  topupAsk: [100, 1_000_000],
  topupBad: [100, 1_000_000],
  invoiceStatus: [invoice],
  paymentReceived: [58],
  delivered: [{ kind: 'tokens', tokens: 100_000, model: EVIL, validityDays: 30 }],
  keyOnce: ['sk-arb-abc<&>'],
  quickstartTitle: ['https://x.example/v1?a=1&b=<2>'],
  balance: [12_000_000, 30_000],
  allowanceLine: [{ lotId: 'l', model: EVIL, grantedTokens: 10, remainingTokens: 5, expiresAt: null, expired: false, createdAt: '' }],
  usageLine: [{ id: 'r', at: '2026-01-01T00:00:00Z', keyId: 'k', customerId: 'c', model: EVIL, stream: false, status: 200, outcome: 'ok', promptTokens: 1, completionTokens: 2, upstreamCostMicro: 1, chargeMicro: 2, profitMicro: 1, latencyMs: 1, allowanceTokens: 0 }],
  usageModelLine: [{ model: EVIL, requests: 1, promptTokens: 1, completionTokens: 1, chargeMicro: 1, upstreamCostMicro: 1, profitMicro: 0 }],
  keyLine: [{ id: 'k', customerId: 'c', hint: 'sk-arb-…Xy3Q', label: EVIL, allowedModels: null, rpm: null, tpm: null, maxConcurrent: null, expiresAt: null, revokedAt: null, rotatedTo: null, createdAt: '2026-01-01T00:00:00Z', status: 'active' }],
  btnRotate: ['sk-arb-…Xy3Q'],
  btnRevoke: ['sk-arb-…Xy3Q'],
  confirmRevoke: ['sk-arb-…<Q>'],
  keyRevoked: ['sk-arb-…<Q>'],
  keyRotated: ['sk-arb-new<&>'],
  supportAsk: [2000],
  supportSent: ['tkt_1'],
  ticketReply: ['tkt_1', EVIL],
  ownerTicket: [{ ticketId: 'tkt_1', name: EVIL, telegramId: 1, username: 'bob', text: EVIL }],
  ownerReplyAsk: ['tkt_1'],
  ownerReplySent: ['tkt_1'],
  ownerReplyFailed: ['tkt_1'],
  ticketNotFound: ['<tkt>'],
  createUsage: [EVIL],
  created: [pkg],
  ownerPaymentNotRecorded: [{ chargeId: 'c<1>', telegramId: 1, payload: 'inv&1', stars: 5, error: EVIL }],
  importBadFile: [512],
  importDone: [[pkg], 1],
  importErrors: [[`item 1: ${EVIL}`, 'item 2: x']],
  announceAsk: [3500],
  announceConfirm: [5, EVIL],
  btnAnnounceSend: [5],
  announceSending: [5],
  announceDone: [4, 1, 1],
  ownerAlert: [EVIL],
};

/** Keys whose text is the same in every language (names of tools, a placeholder). */
const SAME_EVERYWHERE = new Set(['quickstartCurl', 'quickstartPython', 'quickstartNode', 'ownerAlert']);

function render(catalog: Catalog, key: string): unknown {
  const value = (catalog as unknown as Record<string, unknown>)[key];
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown)(...(SAMPLES[key] ?? [])) : value;
}

function shape(value: unknown): string {
  if (value instanceof Html) return 'html';
  if (typeof value === 'function') return `function/${value.length}`;
  if (typeof value === 'object' && value !== null) return `object{${Object.keys(value).sort().join(',')}}`;
  return typeof value;
}

describe('i18n catalogs', () => {
  const keys = Object.keys(catalogs.en);

  it('have every key, with the same kind of value and parameters, in every language', () => {
    for (const language of LANGUAGES) {
      const catalog = catalogs[language] as unknown as Record<string, unknown>;
      expect(Object.keys(catalog).sort(), language).toEqual([...keys].sort());
      for (const key of keys) expect(shape(catalog[key]), `${language}.${key}`).toBe(shape((catalogs.en as unknown as Record<string, unknown>)[key]));
    }
  });

  it('have a sample for every message with parameters', () => {
    const functions = keys.filter((k) => typeof (catalogs.en as unknown as Record<string, unknown>)[k] === 'function');
    expect(functions.filter((k) => !(k in SAMPLES))).toEqual([]);
  });

  it('are translated (Russian messages are in Cyrillic and differ from the English ones)', () => {
    for (const key of keys) {
      if (SAME_EVERYWHERE.has(key)) continue;
      const en = String(render(catalogs.en, key) instanceof Html ? (render(catalogs.en, key) as Html).value : JSON.stringify(render(catalogs.en, key)));
      const ruValue = render(catalogs.ru, key);
      const ru = ruValue instanceof Html ? ruValue.value : JSON.stringify(ruValue);
      expect(ru, `ru.${key}`).not.toBe(en);
      expect(/[А-Яа-яЁё]/.test(ru), `ru.${key} has no Russian: ${ru.slice(0, 80)}`).toBe(true);
    }
  });

  it('render valid Telegram HTML with hostile input shown as typed', () => {
    for (const language of LANGUAGES) {
      for (const key of keys) {
        const value = render(catalogs[language], key);
        if (!(value instanceof Html)) continue;
        const parsed = parseTelegramHtml(value.value);
        expect(parsed.text.trim().length, `${language}.${key}`).toBeGreaterThan(0);
        expect(parsed.text.length, `${language}.${key}`).toBeLessThanOrEqual(4096);
        if ((SAMPLES[key] ?? []).some((a) => JSON.stringify(a)?.includes('<b>Bob'))) expect(parsed.text, `${language}.${key}`).toContain(EVIL);
      }
    }
  });

  it('keep plain texts within Telegram\'s limits', () => {
    for (const language of LANGUAGES) {
      const c = catalogs[language];
      expect(c.cbExpired.length).toBeLessThanOrEqual(200); // callback answer
      expect(c.preCheckoutError.length).toBeLessThanOrEqual(255);
      for (const [command, description] of Object.entries({ ...c.commands, ...c.ownerCommands })) {
        expect(command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(description.length).toBeGreaterThan(0);
        expect(description.length).toBeLessThanOrEqual(256);
      }
      expect(Object.keys(c.commands)).toEqual(Object.keys(catalogs.en.commands));
    }
  });

  it('pick the customer\'s app language when we speak it', () => {
    expect(detectLanguage('ru')).toBe('ru');
    expect(detectLanguage('ru-RU')).toBe('ru');
    expect(detectLanguage('de')).toBe('en');
    expect(detectLanguage(undefined)).toBe('en');
  });
});
