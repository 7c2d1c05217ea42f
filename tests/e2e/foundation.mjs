// The foundation screens: serving the UI, login, org tree, users, roles,
// security policy, forced password change, audit log, layout, session end.
import zlib from 'node:zlib'
import {
  S, changeInitialPassword, check, expectHttpError, httpGet, loginAs, menuItems, openedDialog, orgTableNames, shot,
  signedOutPage, sleep, submitLogin, test, toastTexts, waitNoLoading,
} from './lib.mjs'

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

test('admin logs in: home shows org, roles, scope; menu follows permissions; no dashboard or 待办 without those permissions', async () => {
  const page = await signedOutPage()
  await submitLogin(page, 'admin', S.passwords.admin)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  check(new URL(page.url()).pathname === '/', `landed on ${page.url()}`)
  await page.locator('[data-test=welcome]').waitFor()
  check((await page.locator('[data-test=org-name]').innerText()).includes('嘉善县人民政府'), 'org name missing in the top bar')
  check((await page.locator('[data-test=display-name]').innerText()).includes('系统管理员'), 'display name missing')
  check((await page.locator('[data-test=home-scope]').innerText()).includes('全部'), 'scope missing on home')
  const items = await menuItems(page)
  for (const want of ['首页', '组织机构', '用户管理', '角色管理', '节假日安排']) check(items.includes(want), `menu lacks ${want}: ${items}`)
  for (const not of ['审计日志', '安全策略', '行政复议', '工作台账', '年度报告']) check(!items.includes(not), `menu shows ${not} to the system admin`)
  await sleep(300)
  // Neither report.read (dashboard) nor a case line (待办 badge).
  check((await page.locator('[data-test=dashboard]').count()) === 0, 'dashboard shown without report.read')
  check((await page.locator('[data-test=todo-bell]').count()) === 0, '待办 bell shown without case permissions')
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

test('move the new org to 大云镇 (tree select), close it with a reason, show closed orgs, reopen it', async () => {
  const page = S.page
  const filter = page.locator('input[placeholder="按名称、简称或区划代码筛选"]')
  await filter.fill('法治建设办公室')
  const row = () => page.locator('[data-test=org-table] .el-table__body tr', { hasText: '嘉善县西塘镇法治建设办公室' }).first()
  await row().getByRole('button', { name: '移动' }).click()
  const move = page.locator('.el-dialog', { hasText: '移动机构' })
  await move.waitFor()
  await move.locator('.el-select').click()
  await page.keyboard.type('大云镇')
  await page.locator('.el-tree-node__content:visible', { hasText: '嘉善县大云镇人民政府' }).first().click()
  await move.getByRole('button', { name: '移动', exact: true }).click()
  await move.waitFor({ state: 'hidden' })
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-test=org-table] .el-table__body')?.textContent || ''
    return t.includes('嘉善县大云镇人民政府') && !t.includes('嘉善县西塘镇人民政府')
  })

  await row().getByRole('button', { name: '撤销' }).click()
  const close = page.locator('.el-dialog', { hasText: '撤销机构' })
  await close.waitFor()
  await close.getByRole('button', { name: '确认撤销' }).click()
  await close.locator('.el-form-item__error').getByText('请填写撤销原因').waitFor()
  await close.locator('textarea[name=close_reason]').fill('职能并入大云镇综合办')
  await close.getByRole('button', { name: '确认撤销' }).click()
  await close.waitFor({ state: 'hidden' })
  await page.locator('[data-test=org-table]').getByText('没有符合条件的机构').waitFor()

  await page.locator('.el-switch', { hasText: '显示已撤销' }).click()
  await row().getByText('已撤销').waitFor()
  await row().getByRole('button', { name: '恢复' }).click()
  await page.locator('.el-message-box').getByRole('button', { name: '恢复' }).click()
  await row().getByText('正常').waitFor()
  await page.locator('.el-switch', { hasText: '显示已撤销' }).click()
  await filter.fill('')
})

test('create a user: the initial password is shown once with a copy button', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('用户管理').click()
  await page.waitForURL('**/users')
  await page.locator('[data-test=user-table]').getByText('liaison', { exact: true }).waitFor()
  await waitNoLoading(page)
  await shot('06-users')
  await page.getByRole('button', { name: '新增用户' }).click()
  const dialog = await openedDialog(page, '新增用户')
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

test('user actions: reset password shows the new initial password; lock and unlock', async () => {
  const page = S.page
  const row = () => page.locator('[data-test=user-table] .el-table__body tr', { hasText: 'e2e.xitang' }).first()
  const more = async (item) => {
    await row().getByRole('button', { name: '更多' }).click()
    await page.locator('.el-dropdown-menu__item:visible', { hasText: item }).first().click()
    await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  }
  await more('重置密码')
  const box = page.locator('.el-dialog', { hasText: '密码已重置' })
  await box.waitFor()
  const pw = (await box.locator('[data-test=initial-password]').innerText()).trim()
  check(pw.length >= 10 && pw !== S.passwords['e2e.xitang'], `reset password ${JSON.stringify(pw)}`)
  await box.getByRole('button', { name: '我已记下' }).click()
  await box.waitFor({ state: 'hidden' })
  await more('锁定')
  await row().getByText('已锁定').waitFor()
  await more('解锁')
  await row().getByText('正常').waitFor()
})

test('用户管理 filters live in the URL: a keyword shows only the matching account, kept on 返回, 重置 clears', async () => {
  const page = S.page
  const names = async () => {
    await waitNoLoading(page)
    return (await page.locator('[data-test=user-table] .el-table__body tr td:first-child').allInnerTexts()).map((t) => t.trim())
  }
  check((await names()).length > 1, 'the user list shows one account before filtering')
  await page.locator('input[name=q]').fill('e2e.xi')
  await page.locator('input[name=q]').press('Enter')
  await page.waitForURL((u) => u.searchParams.get('q') === 'e2e.xi')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=user-table] .el-table__body tr').length === 1)
  check(JSON.stringify(await names()) === '["e2e.xitang"]', `keyword rows: ${await names()}`)
  await page.locator('.fz-menu').getByText('角色管理').click()
  await page.waitForURL('**/roles')
  await page.goBack()
  await page.waitForURL((u) => u.searchParams.get('q') === 'e2e.xi')
  await page.locator('[data-test=user-table]').getByText('e2e.xitang', { exact: true }).waitFor()
  check((await names()).length === 1 && (await page.locator('input[name=q]').inputValue()) === 'e2e.xi', 'the filter is not back after 返回')
  await page.locator('[data-test=filter-reset]').click()
  await page.waitForURL((u) => u.search === '')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=user-table] .el-table__body tr').length > 1)
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

test('security policy form (secadmin): loads the policy, Enter saves a change, and it is put back', async () => {
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

test('audit admin opens 审计日志; 校验审计链 reports the chain intact (a broken one in red); result filter', async () => {
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
  // How a broken chain is shown (the reply is faked here; the API suite tampers for real).
  await page.route('**/api/v1/audit/verify', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ ok: false, checked: 5, first_bad_seq: 5, reason: '记录内容与哈希不符(可能被修改)' }),
    }),
  )
  await page.locator('[data-test=verify]').click()
  const bad = page.locator('[data-test=verify-result] .el-alert--error')
  await bad.waitFor()
  const badText = await bad.innerText()
  check(badText.includes('第 5 条') && badText.includes('记录内容与哈希不符'), `broken chain shown as: ${badText}`)
  const [r, g, b] = (await bad.evaluate((el) => getComputedStyle(el).color)).match(/\d+/g).map(Number)
  check(r > g + 60 && r > b + 60, `broken chain not shown in red: rgb(${r}, ${g}, ${b})`)
  await page.unroute('**/api/v1/audit/verify')
  // Filters: failed logins only.
  await page.locator('.fz-filter .el-select').nth(1).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '失败' }).first().click()
  await waitNoLoading(page)
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-test=audit-table] .el-table__body tr')]
    return rows.length > 0 && rows.every((r) => r.textContent.includes('失败'))
  })
})

test('审计日志 keeps filters and page in the URL: page 2 shows older rows, one user\'s rows only, kept on reload, 重置 clears them', async () => {
  const page = S.page
  const table = page.locator('[data-test=audit-table] .el-table__body')
  const column = async (n) => {
    await waitNoLoading(page)
    return (await table.locator(`tr td:nth-child(${n})`).allInnerTexts()).map((t) => t.trim())
  }
  await page.goto(S.base + '/audit')
  await table.locator('tr').first().waitFor()
  const total = Number((await page.locator('.fz-page-head .fz-sub').innerText()).match(/共 (\d+) 条/)[1])
  check(total > 20, `only ${total} audit records: no second page to test`)
  const first = (await column(1)).map(Number)
  check(first.length === 20, `page 1 shows ${first.length} rows`)
  // Page 2: older records (the list is newest first), none of page 1's.
  await page.locator('.fz-pager .el-pager li', { hasText: /^2$/ }).click()
  await page.waitForURL(/[?&]page=2/)
  const second = (await column(1)).map(Number)
  check(second.length > 0 && second.every((n) => n < Math.min(...first)), `page 2 seqs ${second} after page 1 ${first}`)
  await page.reload()
  await table.locator('tr').first().waitFor()
  check(JSON.stringify((await column(1)).map(Number)) === JSON.stringify(second), 'a reload did not stay on page 2')
  // One user's records: only theirs, from page 1, also after a reload.
  await page.locator('input[name=username]').fill('admin')
  await page.locator('input[name=username]').press('Enter')
  await page.waitForURL((u) => u.searchParams.get('username') === 'admin' && !u.searchParams.has('page'))
  const admin = await column(3)
  check(admin.length > 0 && admin.every((u) => u === 'admin'), `username filter rows: ${admin}`)
  await page.reload()
  await table.locator('tr').first().waitFor()
  check((await page.locator('input[name=username]').inputValue()) === 'admin', 'the filter is not back after a reload')
  check((await column(3)).every((u) => u === 'admin'), 'rows of other users after a reload')
  // 重置: no filter in the URL or the form, other users' records again.
  await page.locator('[data-test=filter-reset]').click()
  await page.waitForURL((u) => u.search === '')
  check((await page.locator('input[name=username]').inputValue()) === '', '重置 left the user name')
  check(new Set(await column(3)).size > 1, 'after 重置 the list still shows one user only')
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

test('an ended session sends the user to /login (and back after logging in); 403 PASSWORD_CHANGE_REQUIRED to the password page', async () => {
  const page = S.page
  check(new URL(page.url()).pathname === '/users', `expected /users, at ${page.url()}`)
  await S.context.clearCookies()
  expectHttpError(401, /^\/api\/v1\/users$/)
  await page.getByRole('button', { name: '查询' }).click()
  await page.waitForURL('**/login?redirect=/users')
  await submitLogin(page, 'admin', S.passwords.admin)
  await page.waitForURL((u) => u.pathname === '/users')
  await page.locator('[data-test=user-table]').getByText('e2e.xitang', { exact: true }).waitFor()
  // The server can demand a password change at any request (e.g. after a reset).
  await page.route('**/api/v1/users?*', (route) =>
    route.fulfill({
      status: 403,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ error: { code: 'PASSWORD_CHANGE_REQUIRED', message: '请先修改初始密码', details: null } }),
    }),
  )
  expectHttpError(403, /^\/api\/v1\/users$/)
  await page.getByRole('button', { name: '查询' }).click()
  await page.waitForURL('**/password')
  await page.unroute('**/api/v1/users?*')
})
