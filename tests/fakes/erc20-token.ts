/**
 * A minimal ERC-20 test token, hand-assembled to EVM bytecode here (no Solidity compiler is
 * installed, and copying someone's compiled bytecode would be unreviewable). The listing below
 * IS the source: a tiny assembler turns it into bytes, with jump labels resolved.
 *
 * What the token does — just enough for a payment watcher to be tested against real logs:
 *   constructor           balance[deployer] = supply
 *   transfer(address,uint256) → bool     0xa9059cbb   moves value from the caller, emits
 *                                        Transfer(from, to, value), reverts on insufficient balance
 *   balanceOf(address) → uint256         0x70a08231
 *   decimals() → uint8                   0x313ce567   a constant chosen at assembly time
 *   anything else                        reverts
 * Balances live in storage slot = the holder's address (no mapping hash needed for a test token).
 *
 * Equivalent Solidity (for reading only):
 *   contract TestToken {
 *     event Transfer(address indexed from, address indexed to, uint256 value);
 *     constructor(uint256 supply) { bal[msg.sender] = supply; }
 *     function transfer(address to, uint256 v) external returns (bool) {
 *       require(bal[msg.sender] >= v); bal[msg.sender] -= v; bal[to] += v;
 *       emit Transfer(msg.sender, to, v); return true; }
 *     function balanceOf(address a) external view returns (uint256) { return bal[a]; }
 *     function decimals() external view returns (uint8) { return DECIMALS; }
 *   }
 */
import { id } from 'ethers';

export const TEST_TOKEN_ABI = [
  'function transfer(address to, uint256 value) returns (bool)',
  'function balanceOf(address owner) view returns (uint256)',
  'function decimals() view returns (uint8)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
] as const;

const OPCODES: Record<string, number> = {
  STOP: 0x00, ADD: 0x01, SUB: 0x03, LT: 0x10, EQ: 0x14, SHR: 0x1c,
  CALLER: 0x33, CALLDATALOAD: 0x35, CODECOPY: 0x39,
  MSTORE: 0x52, SLOAD: 0x54, SSTORE: 0x55, JUMPI: 0x57, JUMPDEST: 0x5b,
  DUP1: 0x80, DUP2: 0x81, DUP3: 0x82, SWAP1: 0x90, LOG3: 0xa3, RETURN: 0xf3, REVERT: 0xfd,
};

/** One line of the listing: an opcode, `PUSHn <hex or decimal>`, `PUSH @label` (2-byte) or `@label:` (a JUMPDEST). */
type Line = string;

/** Assembles a listing into bytes. */
export function assemble(lines: Line[]): Uint8Array {
  const labels = new Map<string, number>();
  const pass = (emit: boolean): number[] => {
    const out: number[] = [];
    for (const raw of lines) {
      const line = raw.trim();
      if (!line) continue;
      const label = /^@(\w+):$/.exec(line);
      if (label) {
        if (!emit) labels.set(label[1]!, out.length);
        out.push(OPCODES.JUMPDEST!);
        continue;
      }
      const ref = /^PUSH @(\w+)$/.exec(line);
      if (ref) {
        const at = emit ? labels.get(ref[1]!) : 0;
        if (at === undefined) throw new Error(`unknown label ${ref[1]}`);
        out.push(0x61, (at >> 8) & 0xff, at & 0xff); // PUSH2
        continue;
      }
      const push = /^PUSH(\d+) (\S+)$/.exec(line);
      if (push) {
        const size = Number(push[1]);
        let hex = BigInt(push[2]!).toString(16);
        if (hex.length > size * 2) throw new Error(`${line}: value does not fit`);
        hex = hex.padStart(size * 2, '0');
        out.push(0x5f + size, ...Array.from({ length: size }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)));
        continue;
      }
      const op = OPCODES[line];
      if (op === undefined) throw new Error(`unknown instruction "${line}"`);
      out.push(op);
    }
    return out;
  };
  pass(false);
  return Uint8Array.from(pass(true));
}

const TRANSFER_TOPIC = id('Transfer(address,address,uint256)');

/** Runtime code of the token. */
export function tokenRuntime(decimals: number): Uint8Array {
  return assemble([
    // selector = calldata[0:4]
    'PUSH1 0', 'CALLDATALOAD', 'PUSH1 0xe0', 'SHR',
    'DUP1', 'PUSH4 0xa9059cbb', 'EQ', 'PUSH @transfer', 'JUMPI',
    'DUP1', 'PUSH4 0x70a08231', 'EQ', 'PUSH @balanceOf', 'JUMPI',
    'DUP1', 'PUSH4 0x313ce567', 'EQ', 'PUSH @decimals', 'JUMPI',
    '@fail:', 'PUSH1 0', 'DUP1', 'REVERT',

    '@transfer:',
    'PUSH1 0x24', 'CALLDATALOAD', //            [value]
    'CALLER', 'SLOAD', //                       [bal, value]
    'DUP2', 'DUP2', 'LT', 'PUSH @fail', 'JUMPI', // bal < value → revert
    'DUP2', 'SWAP1', 'SUB', //                  [bal-value, value]
    'CALLER', 'SSTORE', //                      bal[caller] = bal-value; [value]
    'PUSH1 4', 'CALLDATALOAD', //               [to, value]
    'DUP1', 'SLOAD', 'DUP3', 'ADD', //          [bal[to]+value, to, value]
    'DUP2', 'SSTORE', //                        bal[to] += value; [to, value]
    'DUP2', 'PUSH1 0', 'MSTORE', //             mem[0] = value
    'CALLER', `PUSH32 ${TRANSFER_TOPIC}`, 'PUSH1 32', 'PUSH1 0', 'LOG3', // Transfer(caller, to, value); [value]
    'PUSH1 1', 'PUSH1 0', 'MSTORE', 'PUSH1 32', 'PUSH1 0', 'RETURN', // return true

    '@balanceOf:',
    'PUSH1 4', 'CALLDATALOAD', 'SLOAD', 'PUSH1 0', 'MSTORE', 'PUSH1 32', 'PUSH1 0', 'RETURN',

    '@decimals:',
    `PUSH1 ${decimals}`, 'PUSH1 0', 'MSTORE', 'PUSH1 32', 'PUSH1 0', 'RETURN',
  ]);
}

/** Creation code: mints `supply` to the deployer and returns the runtime code. */
export function tokenInitCode(supply: bigint, decimals: number): string {
  const runtime = tokenRuntime(decimals);
  const prefix = (offset: number) =>
    assemble([
      `PUSH32 ${supply}`, 'CALLER', 'SSTORE',
      `PUSH2 ${runtime.length}`, 'DUP1', `PUSH2 ${offset}`, 'PUSH1 0', 'CODECOPY', // copy runtime to mem[0]
      'PUSH1 0', 'RETURN',
    ]);
  const head = prefix(prefix(0).length);
  return '0x' + Buffer.from([...head, ...runtime]).toString('hex');
}
