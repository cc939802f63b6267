// SPDX-License-Identifier: BSD-2-Clause
/** `npm run golden:update`: regenerate the golden files (see golden-lib.ts). */

import { compareGolden, generateGolden } from "./golden-lib.ts";

const update = process.argv.includes("--update");
const diff = await compareGolden(await generateGolden(), update);
const n = diff.changed.length + diff.missing.length + diff.stale.length;
for (const f of diff.changed) console.log(`changed  ${f}`);
for (const f of diff.missing) console.log(`new      ${f}`);
for (const f of diff.stale) console.log(`stale    ${f}`);
console.log(n === 0 ? "golden files up to date" : update ? `${n} golden files updated` : `${n} golden files differ (run npm run golden:update)`);
process.exitCode = !update && n > 0 ? 1 : 0;
