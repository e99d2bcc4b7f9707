/**
 * Ledger accounts. Entries are signed: + is a debit, − is a credit; every transaction sums to 0.
 * Liabilities and revenue are credit-normal, so their balances are ≤ 0 and are shown negated:
 * a customer with $5 of credit has `cust:<id>:avail` = −5_000_000.
 *
 *   cust:<id>:avail       liability  what the customer can spend
 *   cust:<id>:held        liability  reserved for requests in flight
 *   revenue:usage         revenue    what customers were charged for proxy usage
 *   expense:upstream      expense    what the upstream charged us
 *   upstream:payable      liability  the other side of upstream cost (prepaid credit used up)
 *   receipts:<method>     asset      money received (manual, stars, btc, eth, …)
 *   equity:adjustments    equity     owner adjustments (goodwill credits, corrections)
 *   loss:uncollected      expense    usage that exceeded what a customer had left
 *
 * Token allowances are booked in tokens under `tok:` accounts (see allowances.ts):
 *   tok:cust:<id>:lot:<lot>  what is left of one allowance lot (credit-normal)
 *   tok:cust:<id>:held       tokens reserved for requests in flight
 *   tok:issued|used|expired|overrun:<model>   where tokens came from and went
 */
/**
 * A customer's two money accounts are named on every proxy request (reserve, settle, balance
 * checks): the names are built once per customer, so each look-up reuses one string and its
 * cached hash instead of building and hashing a new one. One entry per customer id asked for;
 * cleared if it ever grows past MAX_REMEMBERED (ids typed by hand that name no customer).
 */
const MAX_REMEMBERED = 100_000;
const customerAccounts = new Map<string, { available: string; held: string }>();
function accountsOf(customerId: string): { available: string; held: string } {
  let names = customerAccounts.get(customerId);
  if (!names) {
    if (customerAccounts.size >= MAX_REMEMBERED) customerAccounts.clear();
    names = { available: `cust:${customerId}:avail`, held: `cust:${customerId}:held` };
    customerAccounts.set(customerId, names);
  }
  return names;
}

export const Accounts = {
  available: (customerId: string) => accountsOf(customerId).available,
  held: (customerId: string) => accountsOf(customerId).held,
  revenueUsage: 'revenue:usage',
  expenseUpstream: 'expense:upstream',
  upstreamPayable: 'upstream:payable',
  receipts: (method: string) => `receipts:${method}`,
  adjustments: 'equity:adjustments',
  uncollected: 'loss:uncollected',
  // Token allowances (unit: tokens, never mixed with µUSD in one transaction)
  lot: (customerId: string, lotId: string) => `tok:cust:${customerId}:lot:${lotId}`,
  tokensHeld: (customerId: string) => `tok:cust:${customerId}:held`,
  tokensIssued: (model: string) => `tok:issued:${model}`,
  tokensUsed: (model: string) => `tok:used:${model}`,
  tokensExpired: (model: string) => `tok:expired:${model}`,
  tokensOverrun: (model: string) => `tok:overrun:${model}`,
} as const;

/** Shows a credit-normal balance as a positive amount (and never as -0). */
export function creditBalance(balance: number): number {
  return balance === 0 ? 0 : -balance;
}
