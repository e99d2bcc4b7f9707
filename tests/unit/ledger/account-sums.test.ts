import { describe, expect, it } from 'vitest';
import { AccountSums } from '../../../services/ledger/account-sums.js';

describe('AccountSums', () => {
  it('adds per account and reads 0 for an account it never saw or that came back to zero', () => {
    const sums = new AccountSums();
    sums.add('a', 5);
    sums.add('a', -2);
    sums.add('b', 7);
    sums.add('b', -7);
    expect(sums.get('a')).toBe(3);
    expect(sums.get('b')).toBe(0);
    expect(sums.get('never')).toBe(0);
  });

  it('keeps every non-zero sum right across the sweeps of zeros that many accounts trigger', () => {
    const sums = new AccountSums();
    for (let i = 0; i < 20_000; i++) {
      sums.add(`acct:${i}`, i + 1);
      if (i % 3 !== 0) sums.add(`acct:${i}`, -(i + 1)); // back to zero: swept sooner or later
    }
    for (let i = 0; i < 20_000; i++) expect(sums.get(`acct:${i}`)).toBe(i % 3 === 0 ? i + 1 : 0);
  });
});
