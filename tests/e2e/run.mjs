#!/usr/bin/env node
// Browser tests of the fazhi web UI.
//
// Usage: node tests/e2e/run.mjs [--bin build/fazhi] [--web-dir web/dist] [--shots build/screenshots]
//        FAZHI_E2E_ONLY=legal node tests/e2e/run.mjs ...   (only these files, comma-separated)
//
// Creates a demo database in a temporary directory (`fazhi init --demo`, the
// initial passwords parsed from its output), starts `fazhi serve --web-dir`
// on a free loopback port and drives Debian's chromium (/usr/bin/chromium)
// with playwright-core (installed under web/node_modules), headless, with a
// fresh user-data-dir. Prints TAP ("ok N - ..." / "not ok N - ..."), saves a
// screenshot of each main screen to build/screenshots/, and exits non-zero
// when any test failed. Every console error and uncaught page error fails
// the run, except the HTTP errors a test provokes on purpose.
//
// The tests run in file order and build on each other (users created,
// passwords changed, cases registered):
//   lib.mjs         harness: server, browser, runner, helpers, API client
//   foundation.mjs  login, orgs, users, roles, security policy, audit, layout
//   cases.mjs       行政复议 create → accept → decide → close, deadlines,
//                   export, parties, attachments, scope of a town liaison
//   screens.mjs     dashboard, 工作台账, 年度报告, 历史台账导入, 节假日安排
//   legal.mjs       合法性审查 (opinions, adoption, the .docx letter), 规范性文件
//                   (register, Chinese full-text search, filing, cleanup),
//                   重大行政决策 (catalogue, the 409 gate, steps, adoption);
//                   it needs nothing from the files before it

import { S, check, main, test } from './lib.mjs'

const FILES = ['foundation', 'cases', 'screens', 'legal']
const only = (process.env.FAZHI_E2E_ONLY || '').split(',').filter(Boolean)
for (const f of only.length ? only : FILES) {
  if (!FILES.includes(f)) throw new Error(`FAZHI_E2E_ONLY: no tests/e2e/${f}.mjs`)
  await import(`./${f}.mjs`)
}

test('no console errors or uncaught page errors on any page', async () => {
  check(S.consoleProblems.length === 0, `${S.consoleProblems.length} problem(s):\n${S.consoleProblems.join('\n')}`)
})

main().then(
  (rc) => process.exit(rc),
  (e) => {
    console.log('Bail out! ' + (e && e.stack ? e.stack : e))
    process.exit(1)
  },
)
