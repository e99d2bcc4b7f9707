/**
 * Defence in depth for "secrets never in logs": besides pino's redaction of known field names,
 * every formatted line is checked for the current secret values (bot token, upstream key …)
 * and any occurrence is replaced before it reaches a file, stdout or the UI.
 */
export class SecretScrubber {
  private secrets: string[] = [];

  /** Values shorter than 6 characters are ignored: too likely to match ordinary text. */
  setSecrets(values: Iterable<string>): void {
    this.secrets = [...new Set([...values].filter((v) => v && v.length >= 6))].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    }
    return out;
  }
}
