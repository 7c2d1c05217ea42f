// The harness of the browser tests (tests/e2e/run.mjs): a demo database in a
// temporary directory, `fazhi serve` on a free loopback port, Debian's
// chromium driven by playwright-core (from web/node_modules), the TAP
// runner, and helpers shared by the test files (log in, screenshots, an
// HTTP API client for preparing data, downloads).

import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const require = createRequire(path.join(ROOT, 'web/package.json'))
const { chromium } = require('playwright-core')

const ADMIN_PASSWORD = 'Jiashan#2026pw'
export const HOST = '127.0.0.1'
const CHROMIUM = process.env.FAZHI_CHROMIUM || '/usr/bin/chromium'
const STEP_TIMEOUT = 15000
const PSQL = '/usr/lib/postgresql/15/bin/psql'

function arg(name, def) {
  const i = process.argv.indexOf(name)
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def
}

const BIN = path.resolve(ROOT, arg('--bin', 'build/fazhi'))
const WEB_DIR = path.resolve(ROOT, arg('--web-dir', 'web/dist'))
const SHOTS = path.resolve(ROOT, arg('--shots', 'build/screenshots'))

export const S = {
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

export class Failure extends Error {}

export function check(cond, msg) {
  if (!cond) throw new Failure(msg)
}

export function diag(text) {
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

export function httpGet(p, headers = {}) {
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

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

export async function shot(name, page = S.page) {
  fs.mkdirSync(SHOTS, { recursive: true })
  // Transitions finished (dialogs fully in), toasts left out so they hide nothing.
  await page.screenshot({
    path: path.join(SHOTS, `${name}.png`),
    animations: 'disabled',
    caret: 'hide',
    style: '.el-message { display: none !important; }',
  })
}

// An HTTP error status the app is about to receive on purpose (shown to the
// user as a message); Chromium logs it as a console error, which is then ignored.
export function expectHttpError(status, pathRe) {
  S.allowed.push({ status, path: pathRe })
}

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
  return S.allowed.some((a) => a.status === status && a.path.test(p))
}

export function watchPage(page) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    if (isAllowedResourceError(msg)) return
    // The harness's own init script (transitions off) is refused in the report
    // preview, a sandboxed frame without scripts; that is the frame working.
    if (/^Blocked script execution in 'about:srcdoc'/.test(msg.text())) return
    const loc = msg.location()
    S.consoleProblems.push(`[${S.current}] console error: ${msg.text()}${loc && loc.url ? ` (${loc.url})` : ''}`)
  })
  page.on('pageerror', (err) => {
    S.consoleProblems.push(`[${S.current}] page error: ${err && err.stack ? err.stack : err}`)
  })
}

export async function newPage() {
  if (S.page) await S.page.close().catch(() => {})
  S.page = await S.context.newPage()
  S.page.setDefaultTimeout(STEP_TIMEOUT)
  watchPage(S.page)
  return S.page
}

// A fresh, signed-out page: no cookies, no localStorage.
export async function signedOutPage() {
  await S.context.clearCookies()
  const page = await newPage()
  // Clear the app's storage from a same-origin page that does not run the app.
  await page.goto(S.base + '/favicon.svg')
  await page.evaluate(() => localStorage.clear())
  await page.goto(S.base + '/login')
  await page.locator('input[name=username]').waitFor()
  return page
}

export async function submitLogin(page, username, password) {
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(password)
  await page.locator('input[name=password]').press('Enter')
}

// Log in; returns once the app left /login (home or the forced password change).
export async function loginAs(username, password = S.passwords[username]) {
  const page = await signedOutPage()
  await submitLogin(page, username, password)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  return page
}

export function strongPassword(user) {
  return `Xt${user.length}#Fz-2026-${Math.random().toString(36).slice(2, 6)}Q`
}

// The forced change after an initial password; leaves the user on the home page.
export async function changeInitialPassword(page, username) {
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

export async function menuItems(page) {
  return (await page.locator('.fz-menu .el-menu-item').allInnerTexts()).map((t) => t.trim())
}

export async function waitNoLoading(page) {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: STEP_TIMEOUT })
}

export async function orgTableNames(page) {
  await waitNoLoading(page)
  return (await page.locator('[data-test=org-table] .fz-org-name').allInnerTexts()).map((t) => t.trim())
}

// Visible toast text (ElMessage), newest last.
export async function toastTexts(page) {
  return page.locator('.el-message .el-message__content').allInnerTexts()
}


/* ------------------------------------------------------------ API client */

// A JSON request to the server with a session's cookie and CSRF token.
function apiRequest(sess, method, p, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body))
    const headers = { Accept: 'application/json' }
    if (data) headers['Content-Type'] = 'application/json'
    if (sess && sess.cookie) headers.Cookie = sess.cookie
    if (sess && sess.csrf && method !== 'GET') headers['X-CSRF-Token'] = sess.csrf
    const req = http.request({ host: HOST, port: S.port, path: p, method, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        let json = null
        try {
          json = JSON.parse(raw.toString('utf8'))
        } catch {
          json = null
        }
        const sc = res.headers['set-cookie']
        if (sess && sc && sc.length) sess.cookie = sc[0].split(';')[0]
        resolve({ status: res.statusCode, json, raw })
      })
    })
    req.on('error', reject)
    req.setTimeout(10000, () => req.destroy(new Error('timeout')))
    if (data) req.write(data)
    req.end()
  })
}

const apiSessions = {}

/*
 * The API as one user (logged in once, then cached): get/post/put/patch
 * return the parsed reply and throw unless the status is the expected one
 * (2xx by default). A user still on an initial password gets a new one first.
 */
export async function apiAs(username) {
  if (apiSessions[username]) return apiSessions[username]
  const sess = { cookie: '', csrf: '' }
  const login = await apiRequest(sess, 'POST', '/api/v1/session', { username, password: S.passwords[username] })
  check(login.status === 200, `API login ${username}: ${login.status} ${login.raw.toString().slice(0, 200)}`)
  sess.csrf = login.json.csrf
  if (login.json.must_change_password) {
    const pw = strongPassword(username)
    const r = await apiRequest(sess, 'PUT', '/api/v1/session/password', { old_password: S.passwords[username], new_password: pw })
    check(r.status === 200, `API password change ${username}: ${r.status} ${r.raw.toString().slice(0, 200)}`)
    S.passwords[username] = pw
    if (r.json && r.json.csrf) sess.csrf = r.json.csrf
  }
  const call = (method) => async (p, body, expect) => {
    const r = await apiRequest(sess, method, p, body)
    const ok = expect ? r.status === expect : r.status >= 200 && r.status < 300
    check(ok, `${method} ${p} as ${username}: ${r.status} ${r.raw.toString().slice(0, 300)}`)
    return r.json
  }
  const client = { get: call('GET'), post: call('POST'), put: call('PUT'), patch: call('PATCH') }
  apiSessions[username] = client
  return client
}

let orgCache = null

// An org of the demo county by its full name (through the admin's API session).
export async function orgByName(name) {
  if (!orgCache) orgCache = (await (await apiAs('admin')).get('/api/v1/orgs')).items
  const o = orgCache.find((x) => x.name === name)
  check(o, `no org named ${name}`)
  return o
}

// Click something that starts a download; returns the file's name and bytes.
export async function downloadOf(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT }), click()])
  const file = path.join(S.tmp, `download-${Date.now()}-${dl.suggestedFilename().replace(/[^\w.-]+/g, '_')}`)
  await dl.saveAs(file)
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) }
}

// A dialog once its opening transition is over (its `opened` handlers, which
// may move the focus, have run): typing and clicking are safe from then on.
export async function openedDialog(page, text) {
  const dialog = page.locator('.el-dialog:visible', { hasText: text })
  await dialog.waitFor()
  await page.waitForFunction(() => !document.querySelector('.dialog-fade-enter-active, .el-overlay.dialog-fade-enter-from'))
  await sleep(50)
  return dialog
}

// Today in the server's zone (Asia/Shanghai), as 2021-03-05.
export function todayCst() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/* ------------------------------------------------------------ runner */

const TESTS = []
export function test(name, fn) {
  TESTS.push({ name, fn })
}


/* ------------------------------------------------------------ setup and main */

async function setup() {
  check(fs.existsSync(BIN), `no server binary at ${BIN} (make first)`)
  check(fs.existsSync(path.join(WEB_DIR, 'index.html')), `no ${WEB_DIR}/index.html (make web first)`)
  check(fs.existsSync(CHROMIUM), `no ${CHROMIUM} (apt-get install chromium)`)
  fs.mkdirSync(SHOTS, { recursive: true })
  for (const f of fs.readdirSync(SHOTS)) if (/^FAILED-.*\.png$/.test(f)) fs.rmSync(path.join(SHOTS, f))
  S.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fazhi-e2e-'))
  S.db = path.join(S.tmp, 'fazhi.db')
  if (process.env.FAZHI_TEST_PG) {
    // make test DB=pg: a fresh database on the private PostgreSQL (tests/pg/run.sh).
    const name = 'fazhi_' + path.basename(S.tmp).replace(/-/g, '_').toLowerCase()
    const su = `${process.env.FAZHI_TEST_PG.replace('://fazhi@', '://postgres@')}/postgres`
    const r = spawnSync(PSQL, [su, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', `CREATE DATABASE ${name} OWNER fazhi`], { encoding: 'utf8', timeout: 60000 })
    if (r.status !== 0) throw new Error(`cannot create the test database: ${r.stderr || r.error}`)
    S.db = `${process.env.FAZHI_TEST_PG}/${name}`
    process.env.FAZHI_KEY_FILE = path.join(S.tmp, 'fazhi.key')
    process.env.FAZHI_FILES_DIR = path.join(S.tmp, 'files')
  }
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
  // CSS transitions and animations off: dialogs and dropdowns are in place at
  // once, so the tests wait less and never click something still moving.
  await S.context.addInitScript(() => {
    const css =
      '*,*::before,*::after{transition-duration:0s!important;transition-delay:0s!important;' +
      'animation-duration:0s!important;animation-delay:0s!important}'
    document.addEventListener('DOMContentLoaded', () => {
      if (!document.head) return // not an HTML page (e.g. favicon.svg)
      const style = document.createElement('style')
      style.textContent = css
      document.head.appendChild(style)
    })
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

export async function main() {
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
