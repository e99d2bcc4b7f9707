/**
 * The confirmation texts of the customer page: each says exactly what will happen before a
 * command that moves money, changes a key or gives value away is sent. Pure.
 */
import type { KeyView } from '../../../services/contract';
import { formatCount, formatUsd } from '../../components/format';

/** "Alice's", "Carol Labs'". */
export function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

function quoted(memo: string): string {
  return `“${memo.trim()}”`;
}

export interface ConfirmText {
  title: string;
  /** The first line is the effect in one sentence; the others are consequences worth knowing. */
  lines: string[];
  confirmLabel: string;
  /** Money leaves the customer or a key stops working: the confirm button is red. */
  danger?: boolean;
}

function balanceLine(availableMicro: number, changeMicro: bigint): string {
  const before = BigInt(availableMicro);
  return `Available balance: ${formatUsd(before)} → ${formatUsd(before + changeMicro)}.`;
}

/** Money received outside the app (`customers.credit`). */
export function creditText(name: string, micro: bigint, memo: string, availableMicro: number): ConfirmText {
  const what = memo.trim() ? `recorded as money received: ${quoted(memo)}` : 'recorded as money received (no memo)';
  return {
    title: 'Record money received?',
    lines: [`Add ${formatUsd(micro)} to ${possessive(name)} balance, ${what}.`, balanceLine(availableMicro, micro)],
    confirmLabel: `Add ${formatUsd(micro)}`,
  };
}

/** A correction or goodwill change (`customers.adjust`), either sign. */
export function adjustText(name: string, micro: bigint, memo: string, availableMicro: number): ConfirmText {
  const abs = micro < 0n ? -micro : micro;
  const first =
    micro < 0n
      ? `Take ${formatUsd(abs)} from ${possessive(name)} balance as an adjustment: ${quoted(memo)}.`
      : `Add ${formatUsd(abs)} to ${possessive(name)} balance as an adjustment: ${quoted(memo)}.`;
  const lines = [first, balanceLine(availableMicro, micro)];
  if (BigInt(availableMicro) + micro < 0n) lines.push('That is below zero: the host will refuse it.');
  lines.push('It is recorded in the ledger and the audit trail; it is not money received.');
  return {
    title: micro < 0n ? 'Take money from the balance?' : 'Add to the balance?',
    lines,
    confirmLabel: micro < 0n ? `Take ${formatUsd(abs)}` : `Add ${formatUsd(abs)}`,
    danger: micro < 0n,
  };
}

/** Free tokens of one model (`allowances.grant`). */
export function grantText(name: string, model: string, tokens: number, validityDays: number | null, memo: string): ConfirmText {
  const validity = validityDays === null ? 'with no expiry' : `valid for ${formatCount(validityDays)} day${validityDays === 1 ? '' : 's'}`;
  return {
    title: 'Grant tokens?',
    lines: [
      `Give ${name} ${formatCount(tokens)} tokens of ${model}, ${validity}: ${quoted(memo)}.`,
      'Requests for this model use these tokens before the balance; nothing is charged for them.',
    ],
    confirmLabel: `Grant ${formatCount(tokens)} tokens`,
  };
}

function keyName(key: KeyView): string {
  return key.label ? `${key.hint} (“${key.label}”)` : key.hint;
}

export function revokeText(key: KeyView, name: string): ConfirmText {
  return {
    title: 'Revoke this key?',
    lines: [
      `Revoke key ${keyName(key)} of ${name}: every request made with it is refused from now on.`,
      'This cannot be undone; issue a new key if they need one.',
    ],
    confirmLabel: 'Revoke key',
    danger: true,
  };
}

export function rotateText(key: KeyView, name: string): ConfirmText {
  return {
    title: 'Rotate this key?',
    lines: [
      `Replace key ${keyName(key)} of ${name} with a new key with the same limits; the old key stops working at once.`,
      'The new key is shown once: give it to the customer before closing the window.',
    ],
    confirmLabel: 'Rotate key',
    danger: true,
  };
}

/** A key's limits in words: "60 rpm · 100,000 tpm · 4 at once"; "no limits". */
export function describeLimits(key: Pick<KeyView, 'rpm' | 'tpm' | 'maxConcurrent'>): string {
  const parts: string[] = [];
  if (key.rpm !== null) parts.push(`${formatCount(key.rpm)} rpm`);
  if (key.tpm !== null) parts.push(`${formatCount(key.tpm)} tpm`);
  if (key.maxConcurrent !== null) parts.push(`${formatCount(key.maxConcurrent)} at once`);
  return parts.length ? parts.join(' · ') : 'no limits';
}
