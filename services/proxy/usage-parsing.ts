/** The proxy's UsageParsing port, filled by the upstream and pricing modules. */
import { estimatePromptTokens } from '../pricing/estimate.js';
import { SseUsageScanner } from '../upstream/sse.js';
import { scanCompletion } from '../upstream/completion-scan.js';
import type { UsageParsing } from './ports.js';

export const usageParsing: UsageParsing = {
  createSniffer: () => new SseUsageScanner(),
  fromCompletion: (raw) => {
    const info = scanCompletion(raw);
    return { usage: info.usage, generationId: info.id, tail: info.tail };
  },
  estimatePromptTokens: (body) => estimatePromptTokens(body),
};
