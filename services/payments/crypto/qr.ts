/**
 * QR codes of payment URIs: a PNG for the Telegram bot (sendPhoto) and an SVG for the owner's UI.
 * Error correction "M" (15 %) survives a phone camera on a screen; a quiet zone of 4 modules is
 * what the QR standard asks for.
 */

/** qrcode is loaded on the first QR, not with the host (less heap for every full GC to mark). */
const loadQrCode = async () => (await import('qrcode')).default;

export interface QrOptions {
  /** PNG width in pixels. Default 360. */
  width?: number;
  /** Quiet zone in modules. Default 4. */
  margin?: number;
}

export async function qrPng(text: string, opts: QrOptions = {}): Promise<Buffer> {
  return (await loadQrCode()).toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: opts.margin ?? 4, width: opts.width ?? 360 });
}

export async function qrSvg(text: string, opts: QrOptions = {}): Promise<string> {
  return (await loadQrCode()).toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: opts.margin ?? 4 });
}
