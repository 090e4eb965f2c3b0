// A line-item export (UCI Online Retail's columns) opened through the real file chooser, and
// "UK customers with 5+ orders" built through the real widgets: the count counts invoices (the
// builder starts a purchase rule in orders), which equals an independent count over the file;
// then the same audience with Country taken from the orders file as a user attribute (the Data
// tab's "Attributes from events"), and the where line's layout at 1280x800 and 1000x700.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifacts, clickWidget, frames, settle, startBrowser } from '../support/browser_env.mjs';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => env && (await env.close()));

// Several lines per invoice; customers 1-6 in the UK, 7-8 in France.
function onlineRetail() {
  const rows = [['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country']];
  const invoices = new Map(); // customer -> invoices
  const lines = new Map();
  for (let inv = 0; inv < 33; inv++) {
    const customer = 12341 + [0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7][inv % 11];
    const country = customer > 12346 ? 'France' : 'United Kingdom';
    const n = 1 + ((inv * 7) % 4);
    for (let k = 0; k < n; k++) rows.push([536365 + inv, `S${k}`, 1 + k, `2010-12-${String(1 + (inv % 28)).padStart(2, '0')} 09:${String(inv % 60).padStart(2, '0')}:00`, '2.55', customer, country]);
    if (country === 'United Kingdom') {
      invoices.set(customer, (invoices.get(customer) || 0) + 1);
      lines.set(customer, (lines.get(customer) || 0) + n);
    }
  }
  const atLeast5 = (m) => [...m].filter(([, c]) => c >= 5).map(([u]) => String(u)).sort();
  return { csv: rows.map((r) => r.join(',')).join('\n') + '\n', byInvoice: atLeast5(invoices), byLine: atLeast5(lines) };
}

async function state(page) {
  let s;
  for (let i = 0; i < 100; ++i) {
    s = await page.evaluate(() => window.segx.state());
    if (!s.audience.evaluating) break;
    await frames(page);
  }
  return s;
}

describe('a line-item export in the page', () => {
  test('"UK customers with 5+ orders" built by clicking counts invoices, not lines', async () => {
    const { csv, byInvoice, byLine } = onlineRetail();
    assert.ok(byInvoice.length > 0 && byInvoice.length < byLine.length, 'a telling fixture');
    const page = await env.openPage({ query: '?demo=0', viewport: { width: 1920, height: 1080 } });
    await settle(page);
    const chooser = page.waitForEvent('filechooser');
    await clickWidget(page, 'Open files');
    await (await chooser).setFiles({ name: 'Online Retail.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    let s = await settle(page);
    assert.deepEqual([s.sources[0].mapping.kind, s.sources[0].mapping.order_id], ['orders', 'InvoiceNo']);

    await clickWidget(page, 'Audiences');
    await clickWidget(page, '+ Add rule##root');
    await clickWidget(page, 'Behavior rule##root');
    // The measure: a count, at least 5; its unit already says orders.
    await clickWidget(page, '##root.rules[0].measure');
    await clickWidget(page, 'count');
    await clickWidget(page, '##root.rules[0].count.values[0]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    // where Country is United Kingdom, picked from the property's top values.
    await clickWidget(page, '+ where##root.rules[0]');
    await clickWidget(page, '##root.rules[0].where[0].property');
    await page.keyboard.type('Coun');
    await frames(page, 3);
    await clickWidget(page, 'Country##pick');
    await clickWidget(page, '##root.rules[0].where[0].value_top');
    await clickWidget(page, 'United Kingdom##pick');
    for (let i = 0; i < 100; i++) {
      s = await state(page);
      const r = s.audience.definition.root.rules[0];
      if (r?.count?.value === 5 && r.where?.[0]?.value === 'United Kingdom') break;
      await frames(page);
    }
    // The where line wraps inside the rules panel instead of running past its edge (the
    // insight panel takes the right of the page): at 1280x800 and 1000x700 its value field and
    // its remove button are drawn, not clipped away.
    for (const [width, height] of [[1280, 800], [1000, 700]]) {
      await page.setViewportSize({ width, height });
      await frames(page, 4);
      await page.screenshot({ path: join(artifacts, `real_exports_where_${width}x${height}.png`) });
      for (const w of ['##root.rules[0].where[0].value', 'x##root.rules[0].where[0]', '##root.rules[0].window', '##root.rules[0].count.unit']) {
        const rect = await page.evaluate((l) => window.segx.widgetRect(l), w);
        assert.ok(rect?.visible && rect.x + rect.w <= width, `${w} fits at ${width}x${height}: ${JSON.stringify(rect)}`);
      }
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    await frames(page, 4);
    const rule = s.audience.definition.root.rules[0];
    assert.deepEqual(rule, { kind: 'behavior', did: true, event: 'purchase', where: [{ property: 'Country', op: 'eq', value: 'United Kingdom' }],
      count: { op: 'gte', value: 5, unit: 'orders' } });
    assert.equal(s.audience.size, byInvoice.length);
    const members = await page.evaluate(async (root) => (await window.segx.run({ segx: 1, root }, { members: true })).members, s.audience.definition.root);
    assert.deepEqual([...members].sort(), byInvoice);

    // Times (lines) instead: the unit selector beside the count.
    await clickWidget(page, '##root.rules[0].count.unit');
    await clickWidget(page, 'times');
    for (let i = 0; i < 100 && (await state(page)).audience.definition.root.rules[0].count.unit === 'orders'; i++) await frames(page);
    s = await state(page);
    assert.equal(s.audience.definition.root.rules[0].count.unit, undefined);
    assert.equal(s.audience.size, byLine.length);

    // Country from the orders file as a user attribute, through the Data tab's "Attributes from
    // events" (latest value per customer), then "UK customers with 5+ orders" as an attribute
    // rule on it beside the count in orders.
    await clickWidget(page, 'Data');
    await clickWidget(page, 'Attributes from events###derived');
    await clickWidget(page, 'Property###derived_property');
    await clickWidget(page, 'Country##pick');
    await clickWidget(page, 'Add attribute###derived_add');
    for (let i = 0; i < 100 && !(await state(page)).overview.attributes.some((a) => a.name === 'Country'); i++) await frames(page);
    s = await state(page);
    assert.deepEqual(s.overview.attributes.find((a) => a.name === 'Country')?.from_events,
      { property: 'Country', event: '', pick: 'latest', automatic: false });
    await clickWidget(page, 'Audiences');
    await clickWidget(page, '##root.rules[0].count.unit');
    await clickWidget(page, 'orders');
    await clickWidget(page, 'x##root.rules[0].where[0]');
    await clickWidget(page, '+ Add rule##root');
    await clickWidget(page, 'Attribute rule##root');
    await clickWidget(page, '##root.rules[1].attribute');
    await page.keyboard.type('Coun');
    await frames(page, 3);
    await clickWidget(page, 'Country##pick');
    await clickWidget(page, '##root.rules[1].value_top');
    await clickWidget(page, 'United Kingdom##pick');
    for (let i = 0; i < 100; i++) {
      s = await state(page);
      const [b, p] = s.audience.definition.root.rules;
      if (p?.value === 'United Kingdom' && b.count.unit === 'orders' && !b.where) break;
      await frames(page);
    }
    assert.deepEqual(s.audience.definition.root.rules, [
      { kind: 'behavior', did: true, event: 'purchase', count: { op: 'gte', value: 5, unit: 'orders' } },
      { kind: 'property', attribute: 'Country', op: 'eq', value: 'United Kingdom' }]);
    assert.equal(s.audience.size, byInvoice.length);
    const viaAttribute = await page.evaluate(async (root) => (await window.segx.run({ segx: 1, root }, { members: true })).members, s.audience.definition.root);
    assert.deepEqual([...viaAttribute].sort(), byInvoice);
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});
