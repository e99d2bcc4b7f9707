/** The services every host runs, in the order the Status screen lists them. */
import { BotService } from '../bot/bot-service.js';
import { ProxyService } from '../proxy/proxy-service.js';
import type { ManagedService } from './service-runner.js';

export function builtInServices(version: string): ManagedService[] {
  return [new ProxyService(version), new BotService()];
}
