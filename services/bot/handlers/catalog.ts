/** The catalog (paginated, live prices) and a package's details. */
import { button, customerOrPrompt, say, type BotCore, type Button } from '../core.js';
import { t } from '../i18n/index.js';

export async function showCatalog(core: BotCore, userId: number, page: number): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  const all = core.shop.packages().filter((p) => p.forSale && p.priceMicro !== null && !p.retiredAt);
  if (all.length === 0) {
    await say(core, userId, texts.catalogEmpty);
    return;
  }
  const size = core.limits.catalogPageSize;
  const pages = Math.ceil(all.length / size);
  const current = Math.min(Math.max(0, page), pages - 1);
  const shown = all.slice(current * size, current * size + size);
  const keyboard: Button[][] = shown.map((p) => [button(texts.packageButton(p).slice(0, 60), { action: 'pkg', packageId: p.id })]);
  const nav: Button[] = [];
  if (current > 0) nav.push(button(texts.btnPrev, { action: 'cat', page: current - 1 }));
  if (current < pages - 1) nav.push(button(texts.btnNext, { action: 'cat', page: current + 1 }));
  if (nav.length) keyboard.push(nav);
  await say(core, userId, texts.catalogPage(shown, current, pages), keyboard);
}

export async function showPackage(core: BotCore, userId: number, packageId: string): Promise<void> {
  const customer = await customerOrPrompt(core, userId);
  if (!customer) return;
  const texts = t(customer.language);
  const pkg = core.shop.package(packageId);
  if (!pkg || pkg.retiredAt) {
    await say(core, userId, texts.notFound, [[button(texts.btnBackToCatalog, { action: 'cat', page: 0 })]]);
    return;
  }
  const back = button(texts.btnBackToCatalog, { action: 'cat', page: 0 });
  const keyboard = pkg.forSale && pkg.priceMicro !== null ? [[button(texts.btnBuy(pkg.priceMicro), { action: 'buy', packageId: pkg.id })], [back]] : [[back]];
  await say(core, userId, texts.packageDetails(pkg), keyboard);
}
