/** One safe line from any thrown value: no stack, cut short, secrets scrubbed by the caller. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0]!.slice(0, 300);
  return String(error).slice(0, 300);
}
