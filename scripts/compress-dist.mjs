#!/usr/bin/env node
// Precompresses the built app for the server (server/src/web.rs sends `X.br` or `X.gz` beside a
// file when the browser accepts it): brotli (quality 11) and gzip (level 9) of every text or
// WASM file in dist/, with Node's own zlib (no other tool to install). Prints the raw, gzip and
// brotli sizes of the wasm, js and css, and fails if the wasm exceeds its brotli budget.
//   node scripts/compress-dist.mjs [DIST] [--wasm-budget BYTES]
import { readdirSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const args = process.argv.slice(2);
const budgetAt = args.indexOf('--wasm-budget');
const budget = budgetAt >= 0 ? Number(args.splice(budgetAt, 2)[1]) : null;
const dist = args[0] || 'dist';

const COMPRESSIBLE = /\.(wasm|js|css|html|svg|webmanifest|json)$/;
const files = readdirSync(dist).filter((f) => !/\.(br|gz)$/.test(f));
// Copies from an earlier run that no longer have their file (Trunk replaces dist/ anyway).
for (const f of readdirSync(dist).filter((f) => /\.(br|gz)$/.test(f))) {
  if (!files.includes(f.replace(/\.(br|gz)$/, ''))) unlinkSync(join(dist, f));
}

const rows = [];
for (const name of files.filter((f) => COMPRESSIBLE.test(f))) {
  const raw = readFileSync(join(dist, name));
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      [constants.BROTLI_PARAM_MODE]: name.endsWith('.wasm')
        ? constants.BROTLI_MODE_GENERIC
        : constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  writeFileSync(join(dist, `${name}.br`), br);
  writeFileSync(join(dist, `${name}.gz`), gz);
  rows.push({ name, raw: raw.length, gz: gz.length, br: br.length });
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`.padStart(10);
console.log(`${'file'.padEnd(36)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
for (const r of rows.filter((r) => /\.(wasm|js|css)$/.test(r.name))) {
  console.log(`${r.name.padEnd(36)}${kb(r.raw)}${kb(r.gz)}${kb(r.br)}`);
}
const total = (k) => rows.reduce((s, r) => s + r[k], 0);
console.log(`${'all (index.html, icons, manifest too)'.padEnd(36)}${kb(total('raw'))}${kb(total('gz'))}${kb(total('br'))}`);

if (budget !== null) {
  const wasm = rows.filter((r) => r.name.endsWith('.wasm'));
  if (wasm.length === 0) {
    console.error(`no .wasm in ${dist}: was the app built?`);
    process.exit(1);
  }
  for (const w of wasm) {
    if (w.br > budget) {
      console.error(
        `\nWASM size budget exceeded: ${w.name} is ${w.br} bytes brotli-compressed ` +
          `(${kb(w.br).trim()}), over the budget of ${budget} bytes (${kb(budget).trim()}). ` +
          'A phone on a slow network downloads every byte of it before anything works: ' +
          'find what grew (a new dependency? a large table?) before raising WASM_BUDGET_BYTES in scripts/hearth.',
      );
      process.exit(1);
    }
  }
  console.log(`wasm within its budget: ${wasm.map((w) => w.br).join(', ')} of ${budget} bytes brotli`);
}
