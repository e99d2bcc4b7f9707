/** Schema failures in words a person reads: which field, and what it must be. */
import type { z } from 'zod';

/** Turns a zod failure into one line that names the offending field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join('.') : 'input';
      return `${where}: ${plainMessage(issue)}`;
    })
    .join('; ');
}

/** zod's default wording ("Too big: expected string to have <=500 characters") in the words of our own messages. */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (!/^(Too big|Too small|Invalid input): expected/.test(issue.message)) return issue.message;
  if (issue.code === 'too_big' && issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
  if (issue.code === 'too_small' && issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters`;
  if (issue.code === 'too_big' && issue.origin === 'array') return `must have at most ${String(issue.maximum)} items`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `must have at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'invalid_type') return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
  return issue.message;
}
