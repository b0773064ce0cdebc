import { table } from '../print';
import { toClassic } from './classic';
import { AccountCost, accountCost, CostLine, FreeTierMode, UnpricedResource } from './model';
import { ASSUMPTIONS, idlePollRequestsPerMonth, PRICES, PriceKey, SOURCES } from './prices';
import { ServiceTemplate } from './template';

export interface CostReport {
  tenants: number;
  freeTier: FreeTierMode;
  region: string;
  /** Per tenant account per month, by service (list prices, before any free tier). */
  services: Array<{ service: string; ours: number; classic: number }>;
  /** Per tenant account per month (after the free tier, if any). */
  perTenant: { ours: number; classic: number };
  /** The whole fleet per month: perTenant x tenants. */
  fleet: { ours: number; classic: number };
  ours: AccountCost;
  classic: AccountCost;
  /** Resources that were not priced: unknown types and always-on types without a price. */
  unpriced: { ours: UnpricedResource[]; classic: UnpricedResource[] };
  assumptions: typeof ASSUMPTIONS & { idlePollRequestsPerQueuePerMonth: number };
  prices: typeof PRICES;
  sources: typeof SOURCES;
}

export function buildReport(fleet: ServiceTemplate[], tenants: number, freeTier: FreeTierMode): CostReport {
  const ours = accountCost(fleet, freeTier);
  const classic = accountCost(fleet.map(toClassic), freeTier);
  return {
    tenants,
    freeTier,
    region: 'us-east-1',
    services: ours.services.map((s, i) => ({ service: s.service, ours: s.monthly, classic: classic.services[i].monthly })),
    perTenant: { ours: ours.monthly, classic: classic.monthly },
    fleet: { ours: ours.monthly * tenants, classic: classic.monthly * tenants },
    ours,
    classic,
    unpriced: { ours: ours.services.flatMap((s) => s.unpriced), classic: classic.services.flatMap((s) => s.unpriced) },
    assumptions: { ...ASSUMPTIONS, idlePollRequestsPerQueuePerMonth: idlePollRequestsPerMonth() },
    prices: PRICES,
    sources: SOURCES,
  };
}

export function money(value: number, digits = 4): string {
  const text = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${value < 0 && Number(text.replace(/,/g, '')) !== 0 ? '-' : ''}$${text}`;
}

/** `rows[0]` is the header. */
function costTable(rows: string[][], rightAligned: number[] = []): string {
  return table(rows[0], rows.slice(1), { indent: '', rightAligned }).join('\n');
}

function quantity(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : (Math.round(n * 1000) / 1000).toString();
}

/** An item without the name of the resource it belongs to, for grouping. */
function label(item: string): string {
  return item.replace(/ of \S+ \(.*\)$/, '').replace(/ \(.*\)$/, '');
}

/** Lines of one design grouped by service and price: how many resources, how much usage, what it costs. */
function breakdown(cost: AccountCost): string {
  const groups = new Map<string, { service: string; price: PriceKey; count: number; quantity: number; monthly: number; example: CostLine }>();
  for (const line of cost.services.flatMap((s) => s.lines)) {
    const key = `${line.service}\u0000${line.price}\u0000${label(line.item)}`;
    const g = groups.get(key) ?? { service: line.service, price: line.price, count: 0, quantity: 0, monthly: 0, example: line };
    g.count += 1;
    g.quantity += line.quantity;
    g.monthly += line.monthly;
    groups.set(key, g);
  }
  if (groups.size === 0) return '  (nothing: every resource is free when idle)';
  const rows = [['service', 'what', 'items', 'quantity', 'unit', '$/month']];
  for (const g of groups.values()) {
    const price = PRICES[g.price];
    rows.push([g.service, g.count === 1 ? g.example.item : label(g.example.item), String(g.count), quantity(g.quantity),
      `${price.per === 1 ? '' : `per ${price.per.toLocaleString('en-US')} `}${price.unit.split(' (')[0]}`, money(g.monthly)]);
  }
  // Lines free while idle but paid when busy say how much (a Metrics Insights alarm's bound).
  const busy = cost.services.flatMap((s) => s.lines).filter((l) => l.busyQuantity !== undefined);
  const notes = busy.map((l) => `  ${l.service}: ${l.note}`);
  return [costTable(rows, [2, 3, 5]).replace(/^/gm, '  '), ...(notes.length ? ['  when busy:', ...notes.map((n) => `  ${n}`)] : [])].join('\n');
}

function freeSummary(cost: AccountCost): string {
  const byType = new Map<string, { count: number; reason: string }>();
  for (const f of cost.services.flatMap((s) => s.free)) {
    const entry = byType.get(f.type) ?? { count: 0, reason: f.reason };
    entry.count += 1;
    byType.set(f.type, entry);
  }
  const rows = [['type', 'count', 'why it costs nothing while idle']];
  for (const [type, { count, reason }] of [...byType].sort()) rows.push([type, String(count), reason]);
  return costTable(rows, [1]).replace(/^/gm, '  ');
}

function unpricedList(list: UnpricedResource[]): string {
  if (list.length === 0) return '  none';
  return list.map((u) => `  ${u.service} ${u.resource} (${u.type}): ${u.reason}`).join('\n');
}

export function renderTable(report: CostReport): string {
  const { tenants } = report;
  const rows = [['service', 'ours / tenant', 'classic / tenant', 'classic - ours']];
  for (const s of report.services) rows.push([s.service, money(s.ours), money(s.classic), money(s.classic - s.ours)]);
  if (report.freeTier === 'per-account') {
    rows.push(['free tier (per account)', `-${money(report.ours.freeTierCredit)}`, `-${money(report.classic.freeTierCredit)}`, '']);
  }
  rows.push(['total per tenant', money(report.perTenant.ours), money(report.perTenant.classic), money(report.perTenant.classic - report.perTenant.ours)]);
  rows.push([`fleet (x ${tenants.toLocaleString('en-US')} tenants)`, money(report.fleet.ours, 2), money(report.fleet.classic, 2), money(report.fleet.classic - report.fleet.ours, 2)]);
  const a = report.assumptions;
  const sections = [
    `Idle monthly cost per tenant account: no traffic at all; ${report.region} list prices; free tier: ${report.freeTier === 'none' ? 'none (tenants share the organization\'s free tier)' : 'applied to each tenant account'}.`,
    '',
    costTable(rows, [1, 2, 3]),
    '',
    'Ours pays for (per tenant account per month):',
    breakdown(report.ours),
    '',
    'Classic pays for (per tenant account per month):',
    breakdown(report.classic),
    '',
    'Not priced (unknown types, or always-on types without a price):',
    `  ours:${report.unpriced.ours.length ? '\n' + unpricedList(report.unpriced.ours) : ' none'}`,
    `  classic:${report.unpriced.classic.length ? '\n' + unpricedList(report.unpriced.classic) : ' none'}`,
    '',
    'Free when idle (ours):',
    freeSummary(report.ours),
    '',
    'Assumptions:',
    `  month = ${a.hoursPerMonth} hours; an idle SQS event source mapping keeps ${a.idlePollersPerQueue} long polls of ${a.longPollSeconds} s open:`,
    `    ${a.idlePollRequestsPerQueuePerMonth.toLocaleString('en-US')} ReceiveMessage requests per queue per month (${SOURCES.SQS_POLLERS.source})`,
    `  scheduled Lambda invocations run ${a.scheduledLambdaDurationMs} ms; a scheduled Standard execution passes every state once`,
    `  Metrics Insights alarms are billed per metric analyzed per hour over the last 3 hours of data: 0 for a per-function Lambda query while idle`,
    `    (Lambda publishes nothing without invocations), up to one per function invoked in the last 3 hours when busy ("when busy" above)`,
    `  free tier: ${report.freeTier === 'none' ? `none per tenant (${SOURCES.CONSOLIDATED_BILLING.source})` : 'each tenant account gets the always-free allowances'}`,
    '',
    `Prices: cli/src/cost/prices.ts (each with its source and the date read); --json prints them all.`,
  ];
  return sections.join('\n');
}

/** The JSON printed by `--json`: the report with totals rounded to 6 decimals where floats get noisy. */
export function renderJson(report: CostReport): string {
  return JSON.stringify(report, (_key, value) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1e9) / 1e9 : value), 2);
}


