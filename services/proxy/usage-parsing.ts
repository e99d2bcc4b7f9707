/** The proxy's UsageParsing port, filled by the upstream and pricing modules. */
import { estimatePromptTokens } from '../pricing/estimate.js';
import { SseUsageScanner } from '../upstream/sse.js';
import { completionInfo } from '../upstream/usage.js';
import type { UsageParsing } from './ports.js';

export const usageParsing: UsageParsing = {
  createSniffer: () => new SseUsageScanner(),
  fromCompletion: (body) => {
    const info = completionInfo(body);
    return { usage: info.usage, generationId: info.id };
  },
  estimatePromptTokens: (body) => estimatePromptTokens(body),
};
