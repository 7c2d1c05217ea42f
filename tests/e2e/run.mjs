#!/usr/bin/env node
// Browser tests of the fazhi web UI.
//
// Usage: node tests/e2e/run.mjs [--bin build/fazhi] [--web-dir web/dist] [--shots build/screenshots]
//
// Creates a demo database in a temporary directory (`fazhi init --demo`, the
// initial passwords parsed from its output), starts `fazhi serve --web-dir`
// on a free loopback port and drives Debian's chromium (/usr/bin/chromium)
// with playwright-core (installed under web/node_modules), headless, with a
// fresh user-data-dir. Prints TAP ("ok N - ..." / "not ok N - ..."), saves a
// screenshot of each main screen to build/screenshots/, and exits non-zero
// when any test failed. Every console error and uncaught page error fails
// the run, except the HTTP errors a test provokes on purpose.

import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const require = createRequire(path.join(ROOT, 'web/package.json'))
const { chromium } = require('playwright-core')

const ADMIN_PASSWORD = 'Jiashan#2026pw'
const HOST = '127.0.0.1'
const CHROMIUM = process.env.FAZHI_CHROMIUM || '/usr/bin/chromium'
const STEP_TIMEOUT = 15000

function arg(name, def) {
  const i = process.argv.indexOf(name)
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def
}

const BIN = path.resolve(ROOT, arg('--bin', 'build/fazhi'))
const WEB_DIR = path.resolve(ROOT, arg('--web-dir', 'web/dist'))
const SHOTS = path.resolve(ROOT, arg('--shots', 'build/screenshots'))

const S = {
  tmp: null,
  db: null,
  port: 0,
  base: '',
  server: null,
  serverLog: '',
  passwords: { admin: ADMIN_PASSWORD },
  context: null,
  page: null,
  current: 'setup',
  allowed: [], // HTTP failures the current test expects: { status, path: RegExp }
  consoleProblems: [],
  created: {},
}

/* ------------------------------------------------------------ helpers */

class Failure extends Error {}

function check(cond, msg) {
  if (!cond) throw new Failure(msg)
}

function diag(text) {
  for (const line of String(text).split('\n')) console.log('#   ' + line)
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on('error', reject)
    s.listen(0, HOST, () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

function httpGet(p, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port: S.port, path: p, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
  })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function shot(name, page = S.page) {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) })
}

// An HTTP error status the app is about to receive on purpose (shown to the
// user as a message); Chromium logs it as a console error, which is then ignored.
function expectHttpError(status, pathRe) {
  S.allowed.push({ status, path: pathRe })
}

// The deadlines API comes later: its 404 is how the UI learns to hide the badge.
const ALWAYS_ALLOWED = [{ status: 404, path: /^\/api\/v1\/deadlines$/ }]

function isAllowedResourceError(msg) {
  const m = /Failed to load resource: the server responded with a status of (\d+)/.exec(msg.text())
  if (!m) return false
  const status = Number(m[1])
  let p = ''
  try {
    p = new URL(msg.location().url).pathname
  } catch {
    return false
  }
  return [...ALWAYS_ALLOWED, ...S.allowed].some((a) => a.status === status && a.path.test(p))
}

function watchPage(page) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    if (isAllowedResourceError(msg)) return
    const loc = msg.location()
    S.consoleProblems.push(`[${S.current}] console error: ${msg.text()}${loc && loc.url ? ` (${loc.url})` : ''}`)
  })
  page.on('pageerror', (err) => {
    S.consoleProblems.push(`[${S.current}] page error: ${err && err.stack ? err.stack : err}`)
  })
}

async function newPage() {
  if (S.page) await S.page.close().catch(() => {})
  S.page = await S.context.newPage()
  S.page.setDefaultTimeout(STEP_TIMEOUT)
  watchPage(S.page)
  return S.page
}

// A fresh, signed-out page: no cookies, no localStorage.
async function signedOutPage() {
  await S.context.clearCookies()
  const page = await newPage()
  // Clear the app's storage from a same-origin page that does not run the app.
  await page.goto(S.base + '/favicon.svg')
  await page.evaluate(() => localStorage.clear())
  await page.goto(S.base + '/login')
  await page.locator('input[name=username]').waitFor()
  return page
}

async function submitLogin(page, username, password) {
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(password)
  await page.locator('input[name=password]').press('Enter')
}

// Log in; returns once the app left /login (home or the forced password change).
async function loginAs(username, password = S.passwords[username]) {
  const page = await signedOutPage()
  await submitLogin(page, username, password)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  return page
}

function strongPassword(user) {
  return `Xt${user.length}#Fz-2026-${Math.random().toString(36).slice(2, 6)}Q`
}

// The forced change after an initial password; leaves the user on the home page.
async function changeInitialPassword(page, username) {
  await page.waitForURL('**/password')
  const newPw = strongPassword(username)
  await page.locator('input[name=old_password]').fill(S.passwords[username])
  await page.locator('input[name=new_password]').fill(newPw)
  await page.locator('input[name=confirm_password]').fill(newPw)
  await page.locator('input[name=confirm_password]').press('Enter')
  await page.waitForURL((u) => u.pathname === '/')
  S.passwords[username] = newPw
  await page.locator('[data-test=welcome]').waitFor()
}

async function menuItems(page) {
  return (await page.locator('.fz-menu .el-menu-item').allInnerTexts()).map((t) => t.trim())
}

async function waitNoLoading(page) {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: STEP_TIMEOUT })
}

async function orgTableNames(page) {
  await waitNoLoading(page)
  return (await page.locator('[data-test=org-table] .fz-org-name').allInnerTexts()).map((t) => t.trim())
}

// Visible toast text (ElMessage), newest last.
async function toastTexts(page) {
  return page.locator('.el-message .el-message__content').allInnerTexts()
}

/* ------------------------------------------------------------ tests */

const TESTS = []
function test(name, fn) {
  TESTS.push({ name, fn })
}

test('fazhi serves the built UI: index.html with CSP, hashed assets cached and gzip, client routes, no traversal', async () => {
  const index = await httpGet('/')
  check(index.status === 200, `GET / status ${index.status}`)
  check(/text\/html/.test(index.headers['content-type']), `content-type ${index.headers['content-type']}`)
  check(/default-src 'self'/.test(index.headers['content-security-policy'] || ''), 'no CSP on index.html')
  check(index.headers['cache-control'] === 'no-cache', `index cache-control ${index.headers['cache-control']}`)
  const m = /src="(\/assets\/[^"]+\.js)"/.exec(index.body.toString())
  check(m, 'no /assets/*.js script in index.html')
  const js = await httpGet(m[1], { 'Accept-Encoding': 'gzip, deflate' })
  check(js.status === 200, `asset status ${js.status}`)
  check(/immutable/.test(js.headers['cache-control'] || ''), `asset cache-control ${js.headers['cache-control']}`)
  check(js.headers['content-encoding'] === 'gzip', 'asset not served gzip-encoded')
  check(/javascript/.test(js.headers['content-type']), `asset type ${js.headers['content-type']}`)
  zlib.gunzipSync(js.body)
  const again = await httpGet(m[1], { 'Accept-Encoding': 'gzip', 'If-None-Match': js.headers.etag })
  check(again.status === 304, `If-None-Match gave ${again.status}`)
  const route = await httpGet('/orgs')
  check(route.status === 200 && /<div id="app">/.test(route.body.toString()), 'client route /orgs did not get index.html')
  for (const p of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2findex.html', '/a%5cb']) {
    const r = await httpGet(p)
    check(r.status === 400, `${p} gave ${r.status}`)
  }
  const api = await httpGet('/api/v1/session')
  check(api.status === 401 && /UNAUTHENTICATED/.test(api.body.toString()), `API under /api/ changed: ${api.status}`)
})

test('login: a wrong password shows the server message on the form', async () => {
  const page = await signedOutPage()
  await shot('01-login')
  expectHttpError(401, /^\/api\/v1\/session$/)
  await submitLogin(page, 'admin', 'wrong-password-1')
  const err = page.locator('[data-test=login-error]')
  await err.waitFor()
  const text = (await err.innerText()).trim()
  check(text.includes('用户名或密码错误'), `error shown: ${JSON.stringify(text)}`)
  check(!/[{}]|"code"/.test(text), `raw JSON in the message: ${text}`)
  check(new URL(page.url()).pathname === '/login', 'left the login page')
  await shot('02-login-error')
})

test('admin logs in: home shows org, roles, scope; menu follows permissions; 待办 badge only with the deadlines API', async () => {
  const page = await signedOutPage()
  const deadlines = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/deadlines')
  await submitLogin(page, 'admin', S.passwords.admin)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  check(new URL(page.url()).pathname === '/', `landed on ${page.url()}`)
  await page.locator('[data-test=welcome]').waitFor()
  check((await page.locator('[data-test=org-name]').innerText()).includes('嘉善县人民政府'), 'org name missing in the top bar')
  check((await page.locator('[data-test=display-name]').innerText()).includes('系统管理员'), 'display name missing')
  check((await page.locator('[data-test=home-scope]').innerText()).includes('全部'), 'scope missing on home')
  await page.getByText('年度数据将在业务模块上线后显示').waitFor()
  const items = await menuItems(page)
  for (const want of ['首页', '组织机构', '用户管理', '角色管理']) check(items.includes(want), `menu lacks ${want}: ${items}`)
  for (const not of ['审计日志', '安全策略']) check(!items.includes(not), `menu shows ${not} to the system admin`)
  const status = (await deadlines).status()
  await sleep(300)
  const badges = await page.locator('[data-test=todo-badge]').count()
  if (status === 404) check(badges === 0, '待办 badge shown although /api/v1/deadlines is 404')
  else check(status !== 200 || badges === 1, `待办 badge missing although /api/v1/deadlines answered ${status}`)
  await shot('03-home-admin')
})

test('org tree shows 嘉善县人民政府 and 西塘镇 with kinds and status', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('组织机构').click()
  await page.waitForURL('**/orgs')
  await page.locator('[data-test=org-table]').getByText('嘉善县人民政府', { exact: true }).waitFor()
  const names = await orgTableNames(page)
  check(names.includes('嘉善县人民政府'), 'root org missing')
  check(names.includes('嘉善县西塘镇人民政府'), `西塘镇 missing: ${names.slice(0, 8)}…`)
  const xitang = page.locator('[data-test=org-table] tr', { hasText: '嘉善县西塘镇人民政府' }).first()
  check((await xitang.innerText()).includes('西塘镇'), 'short name 西塘镇 not shown')
  check((await xitang.innerText()).includes('乡镇街道'), 'kind label not shown')
  check((await xitang.innerText()).includes('正常'), 'status not shown')
  const crumb = await page.locator('.fz-breadcrumb').innerText()
  check(crumb.includes('组织机构'), `breadcrumb: ${crumb}`)
  await shot('04-orgs')
})

test('create an org under 西塘镇 (Enter submits the dialog); it appears in the tree', async () => {
  const page = S.page
  const row = page.locator('[data-test=org-table] tr', { hasText: '嘉善县西塘镇人民政府' }).first()
  await row.getByRole('button', { name: '新增下级' }).click()
  const dialog = page.locator('.el-dialog', { hasText: '新增机构' })
  await dialog.waitFor()
  await dialog.locator('input[name=org_name]').fill('嘉善县西塘镇法治建设办公室')
  await dialog.locator('input[name=org_short_name]').fill('西塘法治办')
  await shot('05-org-create')
  await dialog.locator('input[name=org_short_name]').press('Enter')
  await dialog.waitFor({ state: 'hidden' })
  check((await toastTexts(page)).some((t) => t.includes('已新建机构')), 'no success message')
  await page.locator('input[placeholder="按名称、简称或区划代码筛选"]').fill('法治建设办公室')
  await page.locator('[data-test=org-table]').getByText('嘉善县西塘镇法治建设办公室', { exact: true }).waitFor()
  const names = await orgTableNames(page)
  check(names.includes('嘉善县西塘镇人民政府'), `filtered tree lost the parent: ${names}`)
})

test('create an org with a duplicate name: the server message appears next to the name field', async () => {
  const page = S.page
  await page.locator('input[placeholder="按名称、简称或区划代码筛选"]').fill('')
  const row = page.locator('[data-test=org-table] tr', { hasText: '嘉善县西塘镇人民政府' }).first()
  await row.getByRole('button', { name: '新增下级' }).click()
  const dialog = page.locator('.el-dialog', { hasText: '新增机构' })
  await dialog.waitFor()
  expectHttpError(400, /^\/api\/v1\/orgs$/)
  await dialog.locator('input[name=org_name]').fill('嘉善县西塘镇法治建设办公室')
  await dialog.getByRole('button', { name: '保存' }).click()
  const err = dialog.locator('.el-form-item', { has: page.locator('input[name=org_name]') }).locator('.el-form-item__error')
  await err.waitFor()
  check((await err.innerText()).includes('同名'), `field error: ${await err.innerText()}`)
  await dialog.getByRole('button', { name: '取消' }).click()
  await dialog.waitFor({ state: 'hidden' })
})

test('create a user: the initial password is shown once with a copy button', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('用户管理').click()
  await page.waitForURL('**/users')
  await page.locator('[data-test=user-table]').getByText('liaison', { exact: true }).waitFor()
  await waitNoLoading(page)
  await shot('06-users')
  await page.getByRole('button', { name: '新增用户' }).click()
  const dialog = page.locator('.el-dialog', { hasText: '新增用户' })
  await dialog.waitFor()
  await dialog.locator('input[name=username]').fill('e2e.xitang')
  await dialog.locator('input[name=display_name]').fill('西塘测试员')
  await dialog.locator('[data-test=user-org]').click()
  await page.keyboard.type('西塘司法所')
  await page.locator('.el-tree-node__content:visible', { hasText: '嘉善县司法局西塘司法所' }).first().click()
  await dialog.locator('[data-test=user-roles]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '司法所工作人员' }).first().click()
  await page.keyboard.press('Escape')
  await shot('07-user-create')
  await dialog.getByRole('button', { name: '创建' }).click()
  const pwd = page.locator('[data-test=initial-password]')
  await pwd.waitFor()
  const pw = (await pwd.innerText()).trim()
  check(pw.length >= 10, `initial password ${JSON.stringify(pw)}`)
  const box = page.locator('.el-dialog', { hasText: '用户已创建' })
  check(await box.getByRole('button', { name: '复制' }).isVisible(), 'no copy button')
  check((await box.innerText()).includes('e2e.xitang'), 'dialog does not name the user')
  await box.getByRole('button', { name: '复制' }).click()
  await page.getByText('已复制').first().waitFor()
  await shot('08-user-initial-password')
  await box.getByRole('button', { name: '我已记下' }).click()
  await box.waitFor({ state: 'hidden' })
  S.passwords['e2e.xitang'] = pw
  const row = page.locator('[data-test=user-table] tr', { hasText: 'e2e.xitang' }).first()
  await row.waitFor()
  check((await row.innerText()).includes('嘉善县司法局西塘司法所'), 'new user row lacks the org')
  check((await row.innerText()).includes('待改密'), 'new user row lacks the 待改密 tag')
})

test('roles screen for the system admin: administrator roles read-only, no create button', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('角色管理').click()
  await page.waitForURL('**/roles')
  await page.locator('[data-test=role-table]').getByText('安全管理员', { exact: true }).waitFor()
  check((await page.getByRole('button', { name: '新增角色' }).count()) === 0, 'sysadmin sees 新增角色 (role.manage only)')
})

test('logout returns to the login page and the session is gone', async () => {
  const page = S.page
  await page.locator('[data-test=logout]').click()
  await page.waitForURL('**/login')
  await page.goto(S.base + '/users')
  await page.waitForURL('**/login?redirect=/users')
})

test('forced password change (secadmin): a weak password is refused next to the field, then a strong one is accepted', async () => {
  const page = await loginAs('secadmin')
  await page.waitForURL('**/password')
  await page.locator('input[name=old_password]').waitFor()
  await shot('09-password-forced')
  // Every other screen stays closed until the password is changed.
  await page.goto(S.base + '/roles')
  await page.waitForURL('**/password')
  expectHttpError(400, /^\/api\/v1\/session\/password$/)
  await page.locator('input[name=old_password]').fill(S.passwords.secadmin)
  await page.locator('input[name=new_password]').fill('abc123')
  await page.locator('input[name=confirm_password]').fill('abc123')
  await page.locator('input[name=confirm_password]').press('Enter')
  const item = page.locator('.el-form-item', { has: page.locator('input[name=new_password]') })
  const err = item.locator('.el-form-item__error')
  await err.waitFor()
  const msg = (await err.innerText()).trim()
  check(/密码长度至少为\d+个字符/.test(msg), `message next to 新密码: ${JSON.stringify(msg)}`)
  await shot('10-password-weak')
  // Wrong old password: the message goes next to 原密码.
  await page.locator('input[name=old_password]').fill('not-the-old-one')
  await page.locator('input[name=new_password]').fill('Str0ng#Password1')
  await page.locator('input[name=confirm_password]').fill('Str0ng#Password1')
  await page.locator('input[name=confirm_password]').press('Enter')
  const oldErr = page.locator('.el-form-item', { has: page.locator('input[name=old_password]') }).locator('.el-form-item__error')
  await oldErr.waitFor()
  check((await oldErr.innerText()).includes('原密码不正确'), `old password message: ${await oldErr.innerText()}`)
  await changeInitialPassword(page, 'secadmin')
  const items = await menuItems(page)
  for (const want of ['安全策略', '角色管理', '用户管理']) check(items.includes(want), `secadmin menu lacks ${want}: ${items}`)
  check(!items.includes('审计日志'), 'secadmin sees 审计日志')
})

test('security policy form (secadmin): loads, refuses an out-of-range value, saves', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('安全策略').click()
  await page.waitForURL('**/security')
  const minLen = page.locator('input[name=password_min_length]')
  await page.waitForFunction(() => document.querySelector('input[name=password_min_length]')?.value === '10')
  await shot('11-security')
  await minLen.fill('12')
  await minLen.press('Enter')
  await page.waitForFunction(() => [...document.querySelectorAll('.el-message')].some((e) => e.textContent.includes('安全策略已保存')))
  check((await minLen.inputValue()) === '12', 'saved value not shown')
  await minLen.fill('10')
  await minLen.press('Enter')
  await page.waitForFunction(() => document.querySelector('input[name=password_min_length]')?.value === '10')
})

test('roles screen (secadmin): create a custom role; administrator roles stay read-only', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('角色管理').click()
  await page.waitForURL('**/roles')
  await page.locator('[data-test=role-table]').getByText('系统管理员', { exact: true }).waitFor()
  const adminRow = page.locator('[data-test=role-table] .el-table__body tr', { hasText: 'sysadmin' }).first()
  check((await adminRow.getByRole('button', { name: '编辑' }).count()) === 0, 'administrator role editable')
  await page.getByRole('button', { name: '新增角色' }).click()
  const dialog = page.locator('.el-dialog', { hasText: '新增角色' })
  await dialog.waitFor()
  await dialog.locator('input[name=role_code]').fill('e2e_viewer')
  await dialog.locator('input[name=role_name]').fill('机构查看员')
  await dialog.getByText('查看用户', { exact: true }).click()
  await shot('12-role-create')
  await dialog.locator('input[name=role_name]').press('Enter')
  await dialog.waitFor({ state: 'hidden' })
  const row = page.locator('[data-test=role-table] .el-table__body tr', { hasText: 'e2e_viewer' }).first()
  await row.waitFor()
  check((await row.innerText()).includes('查看用户'), `new role lacks its permission: ${await row.innerText()}`)
  await shot('13-roles')
})

test('liaison (西塘镇) sees only its own unit in the org tree, and no screens beyond its permissions', async () => {
  const page = await loginAs('liaison')
  await changeInitialPassword(page, 'liaison')
  check((await page.locator('[data-test=home-scope]').innerText()).includes('本单位及下级'), 'liaison scope not shown')
  await page.locator('.fz-menu').getByText('组织机构').click()
  await page.waitForURL('**/orgs')
  await page.locator('[data-test=org-table]').getByText('嘉善县西塘镇人民政府', { exact: true }).waitFor()
  await page.getByRole('button', { name: '展开全部' }).click()
  await page.locator('[data-test=org-table]').getByText('嘉善县司法局西塘司法所', { exact: true }).waitFor()
  const names = await orgTableNames(page)
  check(!names.includes('嘉善县人民政府'), 'liaison sees the county root')
  check(!names.includes('嘉善县大云镇人民政府'), 'liaison sees another town')
  check(names.every((n) => n.includes('西塘')), `liaison sees orgs outside 西塘镇: ${names}`)
  check((await page.getByRole('button', { name: '新增机构' }).count()) === 0, 'liaison has 新增机构 without org.manage')
  await shot('14-orgs-liaison')
  const items = await menuItems(page)
  check(!items.includes('角色管理') && !items.includes('审计日志'), `liaison menu: ${items}`)
  await page.goto(S.base + '/roles')
  await page.getByText('无权访问').first().waitFor()
})

test('audit admin opens 审计日志; 校验审计链 reports the chain intact', async () => {
  const page = await loginAs('auditor')
  await changeInitialPassword(page, 'auditor')
  await page.locator('.fz-menu').getByText('审计日志').click()
  await page.waitForURL('**/audit')
  await page.locator('[data-test=audit-table]').getByText('新建用户').first().waitFor()
  await waitNoLoading(page)
  await page.locator('[data-test=verify]').click()
  const res = page.locator('[data-test=verify-result]')
  await res.waitFor()
  const text = await res.innerText()
  check(text.includes('审计链完整'), `verify result: ${text}`)
  check(/已校验 \d+ 条/.test(text), `no count: ${text}`)
  await shot('15-audit')
  // Filters: failed logins only.
  await page.locator('.fz-filter .el-select').nth(1).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '失败' }).first().click()
  await waitNoLoading(page)
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test=audit-table] .el-table__body tr')]
    return rows.length > 0 && rows.every((r) => r.textContent.includes('失败'))
  })
})

test('layout at 1920×1080 and 1366×768: no horizontal page overflow', async () => {
  const page = S.page
  for (const [w, h] of [[1920, 1080], [1366, 768]]) {
    await page.setViewportSize({ width: w, height: h })
    await sleep(200)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    check(overflow <= 0, `${w}px: page scrolls sideways by ${overflow}px`)
    if (w === 1920) await shot('16-audit-1920')
  }
  await loginAs('admin')
  await S.page.setViewportSize({ width: 1920, height: 1080 })
  await S.page.goto(S.base + '/users')
  await S.page.locator('[data-test=user-table]').getByText('e2e.xitang', { exact: true }).waitFor()
  await waitNoLoading(S.page)
  await shot('17-users-1920')
  await S.page.setViewportSize({ width: 1366, height: 768 })
})

test('no console errors or uncaught page errors on any page', async () => {
  check(S.consoleProblems.length === 0, `${S.consoleProblems.length} problem(s):\n${S.consoleProblems.join('\n')}`)
})

/* ------------------------------------------------------------ setup and main */

async function setup() {
  check(fs.existsSync(BIN), `no server binary at ${BIN} (make first)`)
  check(fs.existsSync(path.join(WEB_DIR, 'index.html')), `no ${WEB_DIR}/index.html (make web first)`)
  check(fs.existsSync(CHROMIUM), `no ${CHROMIUM} (apt-get install chromium)`)
  fs.mkdirSync(SHOTS, { recursive: true })
  for (const f of fs.readdirSync(SHOTS)) if (/^FAILED-.*\.png$/.test(f)) fs.rmSync(path.join(SHOTS, f))
  S.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-e2e-'))
  S.db = path.join(S.tmp, 'fazhi.db')
  S.serverLog = path.join(S.tmp, 'server.log')

  const env = { ...process.env, FAZHI_FAST_PASSWORD_HASH: '1', FAZHI_ADMIN_PASSWORD: ADMIN_PASSWORD }
  const init = spawnSync(BIN, ['init', '--demo', '--db', S.db], { env, encoding: 'utf8', timeout: 120000 })
  if (init.status !== 0) throw new Error(`init failed (${init.status}):\n${init.stdout}\n${init.stderr}`)
  for (const line of init.stdout.split('\n')) {
    const m = /^\s*\S+\s+([a-z0-9_.-]+)\s+初始密码\s+(\S+)/.exec(line)
    if (m) S.passwords[m[1]] = m[2]
  }
  for (const u of ['secadmin', 'auditor', 'liaison']) check(S.passwords[u], `no initial password for ${u} in:\n${init.stdout}`)

  S.port = await freePort()
  S.base = `http://${HOST}:${S.port}`
  const senv = { ...process.env, FAZHI_FAST_PASSWORD_HASH: '1' }
  delete senv.FAZHI_ADMIN_PASSWORD
  const log = fs.openSync(S.serverLog, 'a')
  S.server = spawn(BIN, ['serve', '--db', S.db, '--listen', `${HOST}:${S.port}`, '--web-dir', WEB_DIR], {
    env: senv,
    stdio: ['ignore', log, log],
  })
  fs.closeSync(log)
  const deadline = Date.now() + 15000
  for (;;) {
    if (S.server.exitCode !== null) throw new Error(`server exited with ${S.server.exitCode} during start-up`)
    try {
      if ((await httpGet('/healthz')).status === 200) break
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error('server did not answer /healthz in time')
    await sleep(100)
  }

  S.context = await chromium.launchPersistentContext(path.join(S.tmp, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    permissions: ['clipboard-read', 'clipboard-write'],
  })
}

async function teardown() {
  if (S.context) await S.context.close().catch(() => {})
  if (S.server && S.server.exitCode === null) {
    const done = new Promise((r) => S.server.once('exit', r))
    S.server.kill('SIGTERM')
    await Promise.race([done, sleep(5000)])
    if (S.server.exitCode === null) S.server.kill('SIGKILL')
  }
  if (S.tmp && !process.env.FAZHI_E2E_KEEP) fs.rmSync(S.tmp, { recursive: true, force: true })
}

async function main() {
  const started = Date.now()
  console.log(`1..${TESTS.length}`)
  let failed = 0
  try {
    await setup()
  } catch (e) {
    console.log('not ok 1 - setup: demo database, server, chromium')
    diag(e && e.stack ? e.stack : e)
    if (S.serverLog && fs.existsSync(S.serverLog)) diag(fs.readFileSync(S.serverLog, 'utf8').split('\n').slice(-30).join('\n'))
    console.log('Bail out! setup failed')
    await teardown()
    return 1
  }
  for (let i = 0; i < TESTS.length; i++) {
    const t = TESTS[i]
    S.current = t.name
    S.allowed = []
    const t0 = Date.now()
    try {
      await t.fn()
      console.log(`ok ${i + 1} - ${t.name} (${Date.now() - t0} ms)`)
    } catch (e) {
      failed++
      console.log(`not ok ${i + 1} - ${t.name}`)
      diag(e instanceof Failure ? e.message : e && e.stack ? e.stack : e)
      if (S.page) {
        diag(`page: ${S.page.url()}`)
        await shot(`FAILED-${String(i + 1).padStart(2, '0')}`).catch(() => {})
      }
    }
  }
  await teardown()
  console.log(`# ${TESTS.length - failed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(ROOT, SHOTS)}/`)
  return failed ? 1 : 0
}

main().then(
  (rc) => process.exit(rc),
  (e) => {
    console.log('Bail out! ' + (e && e.stack ? e.stack : e))
    process.exit(1)
  },
)
