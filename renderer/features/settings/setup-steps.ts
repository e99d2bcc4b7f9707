/**
 * The first-run checklist's steps, in the order a new owner goes through them. Each names the
 * setting it fills and the host tests it with `setup.check` (services/setup/check.ts). Pure.
 */
import type { SetupCheckResult, SetupItem, SettingView } from '../../../services/contract';

export interface SetupStep {
  item: SetupItem;
  title: string;
  /** Written once, never shown again: the field starts empty and the screen says only "set" / "not set". */
  secret: boolean;
  optional: boolean;
  placeholder: string;
  hint: string;
}

export const SETUP_STEPS: readonly SetupStep[] = [
  { item: 'telegram.token', title: 'Telegram bot token', secret: true, optional: false, placeholder: '123456789:AAE…', hint: 'From @BotFather in Telegram (/newbot). Tested with getMe.' },
  { item: 'upstream.apiKey', title: 'Upstream API key (OpenRouter)', secret: true, optional: false, placeholder: 'sk-or-v1-…', hint: 'From openrouter.ai/keys. Tested by reading the credit left.' },
  { item: 'upstream.baseUrl', title: 'Upstream base URL', secret: false, optional: false, placeholder: 'https://openrouter.ai/api/v1', hint: 'OpenRouter, or any OpenAI-compatible API. Tested by listing its models.' },
  { item: 'payments.btc.xpub', title: 'Bitcoin account key (zpub)', secret: true, optional: true, placeholder: 'zpub6r…', hint: 'The extended PUBLIC key of a Native SegWit account; never a private key or words.' },
  { item: 'payments.btc.esploraUrl', title: 'Bitcoin watcher (Esplora URL)', secret: false, optional: true, placeholder: 'https://blockstream.info/api', hint: 'Where BTC payments are looked up. Tested by reading the chain tip.' },
  { item: 'payments.eth.xpub', title: 'Ethereum account key (xpub)', secret: true, optional: true, placeholder: 'xpub6C…', hint: "The xpub of account m/44'/60'/0'; never a private key or words." },
  { item: 'payments.eth.rpcUrl', title: 'Ethereum node (RPC URL)', secret: false, optional: true, placeholder: 'https://…', hint: 'Your node or a provider. Tested with eth_chainId.' },
  { item: 'pricing.markupPercent', title: 'Markup', secret: false, optional: false, placeholder: '25', hint: 'Percent over the upstream price (25 → customers pay 1.25× your cost).' },
  { item: 'proxy.publicUrl', title: "Proxy's public URL", secret: false, optional: false, placeholder: 'https://ai.example.com/v1', hint: 'The https address customers use (your tunnel or reverse proxy). Checked for form only.' },
];

export type StepState = SetupCheckResult['state'] | 'checking' | 'unknown';

export interface StepStatus {
  state: StepState;
  message: string;
}

/** "Done" / "Not done" / "Optional" / "Problem" / "Checking…". */
export function stateLabel(step: SetupStep, state: StepState): string {
  switch (state) {
    case 'done':
      return 'Done';
    case 'problem':
      return 'Problem';
    case 'checking':
      return 'Checking…';
    case 'todo':
      return step.optional ? 'Optional' : 'Not done';
    default:
      return 'Not checked';
  }
}

/** The value `settings.update` expects for what was typed (the markup is a number). */
export function typedValue(step: SetupStep, text: string): string | number {
  if (step.item === 'pricing.markupPercent') {
    const n = Number(text.trim());
    return Number.isFinite(n) && text.trim() !== '' ? n : text;
  }
  return text.trim();
}

/** What the checklist may show about a saved value: for a secret only whether it is set. */
export function savedSummary(step: SetupStep, setting: SettingView | undefined): string {
  if (!setting) return '';
  if (step.secret) return setting.isSet ? 'set' : 'not set';
  const v = setting.value;
  return v === '' || v === null || v === undefined ? 'not set' : String(v);
}

/** Required steps done, out of all required steps. */
export function progress(statuses: Readonly<Partial<Record<SetupItem, StepStatus>>>): { done: number; required: number } {
  const required = SETUP_STEPS.filter((s) => !s.optional);
  return { done: required.filter((s) => statuses[s.item]?.state === 'done').length, required: required.length };
}
