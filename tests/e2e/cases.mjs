// The case screens: a 行政复议 case registered through the create form and
// taken through accept → copy → decision → close, with only the allowed
// actions on screen at each step; the deadline reminders; export to Excel;
// masked parties and the audited reveal; attachments; a town liaison's scope;
// the case actions in the audit log.
import {
  S, apiAs, check, downloadOf, expectHttpError, loginAs, openedDialog, orgByName, shot, sleep, test, todayCst,
  waitNoLoading,
} from './lib.mjs'

const BAD_ID = '110105194912310021' // GB 11643 example with a wrong check digit
const GOOD_ID = '11010519491231002X'

// The action buttons on the case page.
async function actionButtons(page) {
  return (await page.locator('[data-test=case-actions] button').allInnerTexts()).map((t) => t.trim())
}

// The buttons are exactly the actions the server allows in the current state.
async function checkActions(page, state, mustHave = [], mustNot = []) {
  await page.locator('[data-test=case-state]', { hasText: state }).waitFor()
  const detail = await (await apiAs('staff')).get(`/api/v1/cases/${S.created.caseId}`)
  check(detail.state_name === state, `server state ${detail.state_name}, expected ${state}`)
  const want = detail.actions.map((a) => a.name)
  const shown = await actionButtons(page)
  check(JSON.stringify(shown) === JSON.stringify(want), `in ${state} the page shows [${shown}] but the server allows [${want}]`)
  for (const a of mustHave) check(shown.includes(a), `in ${state} no ${a} button: [${shown}]`)
  for (const a of mustNot) check(!shown.includes(a), `in ${state} a ${a} button: [${shown}]`)
}

function caseTab(page, name) {
  return page.locator('[data-test=case-tabs]').getByRole('tab', { name: new RegExp(`^${name}`) }).click()
}

// Open an action's dialog, let fill() complete it, submit, wait for the new state.
async function runAction(page, name, state, fill) {
  await page.locator('[data-test=case-actions]').getByRole('button', { name, exact: true }).click()
  const dialog = await openedDialog(page, name)
  const date = await dialog.locator('input[name=date]').inputValue()
  check(date === todayCst(), `${name}: date defaults to ${date}, not today`)
  if (fill) await fill(dialog)
  await dialog.locator('[data-test=action-submit]').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.locator('[data-test=case-state]', { hasText: state }).waitFor()
}

test('staff registers a 行政复议 case through the create form; an invalid ID number is refused under its field', async () => {
  await apiAs('staff') // replaces the initial password
  const page = await loginAs('staff')
  await page.locator('.fz-menu').getByText('行政复议', { exact: true }).click()
  await page.waitForURL('**/reconsiderations')
  await page.locator('[data-test=create-case]').click()
  await page.waitForURL('**/reconsiderations/new')
  const form = page.locator('[data-test=create-form]')
  check((await form.locator('input[name=received_date]').inputValue()) === todayCst(), 'received date does not default to today')
  await form.locator('[data-test=respondent]').click()
  await page.keyboard.type('自然资源')
  await page.locator('.el-tree-node__content:visible', { hasText: '嘉善县自然资源和规划局' }).first().click()
  await form.locator('input[name=act]').fill('嘉自然资规罚〔2026〕15号行政处罚决定')
  await form.locator('textarea[name=claims]').fill('请求撤销该行政处罚决定')
  await form.locator('input[name="applicants.0.name"]').fill('王小明')
  await form.locator('input[name="applicants.0.id_number"]').fill(BAD_ID)
  await form.locator('input[name="applicants.0.phone"]').fill('13800138000')
  await form.locator('input[name="applicants.0.address"]').fill('浙江省嘉善县罗星街道晋阳东路1号')
  expectHttpError(400, /^\/api\/v1\/reconsiderations$/)
  await form.locator('[data-test=create-submit]').click()
  const idItem = form.locator('.el-form-item', { has: page.locator('input[name="applicants.0.id_number"]') })
  await idItem.locator('.el-form-item__error').waitFor()
  const msg = (await idItem.locator('.el-form-item__error').innerText()).trim()
  check(msg.includes('身份证号码') && msg.includes('校验位'), `message under the ID field: ${msg}`)
  await shot('20-case-create-invalid-id')

  await form.locator('input[name="applicants.0.id_number"]').fill(GOOD_ID)
  await form.locator('[data-test=create-submit]').click()
  await page.waitForURL(/\/reconsiderations\/\d+$/)
  S.created.caseId = Number(/(\d+)$/.exec(new URL(page.url()).pathname)[1])
  S.created.caseNo = (await page.locator('[data-test=case-no]').innerText()).trim()
  check(/^嘉善复〔\d{4}〕\d+号$/.test(S.created.caseNo), `case number ${S.created.caseNo}`)
  await checkActions(page, '已登记待审查', ['通知补正', '受理', '不予受理'], ['作出决定', '结案'])
  await shot('21-case-registered')
})

test('the 到期提醒 bell and page list the accept deadline of the new case, linking to it', async () => {
  const page = S.page
  await caseTab(page, '法定期限')
  const row = page.locator('[data-test=deadline-table] .el-table__body tr', { hasText: '受理审查期限' })
  await row.waitFor()
  check(/剩 \d+ 天|今天到期/.test(await row.innerText()), `deadline row: ${await row.innerText()}`)
  await page.locator('[data-test=todo-bell]').click()
  const item = page.locator('[data-test=todo-list] .fz-todo-item', { hasText: S.created.caseNo })
  await item.waitFor()
  check((await item.innerText()).includes('受理审查期限'), `bell item: ${await item.innerText()}`)
  await shot('22-todo-dropdown')
  await page.getByRole('button', { name: '查看全部到期提醒' }).click()
  await page.waitForURL('**/deadlines')
  const line = page.locator('[data-test=deadline-list] .el-table__body tr', { hasText: S.created.caseNo })
  await line.waitFor()
  check((await line.innerText()).includes('受理审查期限'), `deadline page row: ${await line.innerText()}`)
  await waitNoLoading(page)
  await shot('23-deadlines')
  await line.getByRole('link', { name: S.created.caseNo }).click()
  await page.waitForURL(`**/reconsiderations/${S.created.caseId}`)
})

test('accept, send the copy, decide (撤销) and close: at each step the page shows exactly the allowed actions', async () => {
  const page = S.page
  await runAction(page, '受理', '审理中', async (d) => {
    check(await d.getByText('普通程序').isVisible(), 'no 审理程序 choice')
    check((await d.locator('[data-field=simple_basis]').count()) === 0, 'simple-procedure basis shown for the ordinary procedure')
  })
  await checkActions(page, '审理中', ['发送申请书副本', '作出决定', '中止审理'], ['受理', '结案'])
  await runAction(page, '发送申请书副本', '审理中')
  await caseTab(page, '办理进程')
  await page.locator('[data-test=timeline]').getByText('向被申请人发送申请书副本').waitFor()
  await runAction(page, '作出决定', '已作出决定', async (d) => {
    await d.locator('[data-test=select-outcome]').click()
    await page.locator('.el-select-dropdown__item:visible').getByText('撤销', { exact: true }).click()
    await shot('24-case-decide-dialog')
  })
  const outcome = await page.locator('[data-test=case-outcome]').innerText()
  check(outcome.includes('撤销') && outcome.includes('纠错'), `outcome shown as ${outcome}`)
  await checkActions(page, '已作出决定', ['结案', '制发意见书'], ['作出决定', '受理'])
  await runAction(page, '结案', '已结案')
  await checkActions(page, '已结案', ['制发意见书'], ['结案'])
  await page.locator('[data-test=timeline]').getByText('作出行政复议决定:撤销').waitFor()
  await shot('25-case-closed')
})

test('parties are masked; 查看完整信息 asks for a reason and shows the full ID number', async () => {
  const page = S.page
  await caseTab(page, '当事人')
  const row = page.locator('[data-test=party-table] .el-table__body tr', { hasText: '王小明' })
  await row.waitFor()
  const text = await row.innerText()
  check(text.includes('110105********002X') && text.includes('138****8000'), `masked row: ${text}`)
  check(!text.includes(GOOD_ID), 'full ID number shown without asking')
  await row.locator('[data-test=reveal]').click()
  const dialog = await openedDialog(page, '查看完整个人信息')
  await dialog.getByRole('button', { name: '查看', exact: true }).click()
  await dialog.getByText('请填写查看事由').waitFor()
  await dialog.locator('input[name=reveal_reason]').fill('制作送达回证核对身份')
  await dialog.locator('input[name=reveal_reason]').press('Enter')
  const result = page.locator('[data-test=reveal-result]')
  await result.waitFor()
  const full = await result.innerText()
  check(full.includes(GOOD_ID) && full.includes('13800138000') && full.includes('晋阳东路1号'), `reveal result: ${full}`)
  await shot('26-case-reveal')
  await page.locator('.el-dialog:visible').getByRole('button', { name: '关闭', exact: true }).click()
  await page.locator('.el-dialog:visible', { hasText: '当事人完整信息' }).waitFor({ state: 'hidden' })
})

test('attachments: upload with progress, then download the same bytes', async () => {
  const page = S.page
  await caseTab(page, '附件')
  const content = Buffer.from('行政复议申请书\n申请人:王小明\n'.repeat(2000))
  await page.locator('[data-test=upload-input]').setInputFiles({ name: '行政复议申请书.txt', mimeType: 'text/plain', buffer: content })
  const link = page.locator('[data-test=attachment-link]', { hasText: '行政复议申请书.txt' })
  await link.waitFor()
  const dl = await downloadOf(page, () => link.click())
  check(dl.name === '行政复议申请书.txt', `downloaded as ${dl.name}`)
  check(dl.bytes.equals(content), `downloaded ${dl.bytes.length} bytes, uploaded ${content.length}`)
  await shot('27-case-attachments')
})

test('the list: filters, sort by case number, overdue-only, and 导出Excel downloads an .xlsx of the filtered list', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('行政复议', { exact: true }).click()
  await page.waitForURL('**/reconsiderations')
  await page.locator('[data-test=case-table]').getByText(S.created.caseNo).waitFor()
  await page.locator('[data-test=filter-state]').click()
  await page.locator('.el-select-dropdown__item:visible').getByText('已结案', { exact: true }).click()
  await page.waitForURL(/state=closed/)
  await waitNoLoading(page)
  const rows = await page.locator('[data-test=case-table] .el-table__body tr').allInnerTexts()
  check(rows.length >= 1 && rows.every((r) => r.includes('已结案')), `closed filter rows: ${rows}`)
  await page.locator('[data-test=case-table] th', { hasText: '案号' }).locator('.sort-caret.ascending').click()
  await page.waitForURL(/sort=case_no/)
  const dl = await downloadOf(page, () => page.locator('[data-test=export]').click())
  check(dl.bytes.subarray(0, 2).toString() === 'PK', `export is not a zip (.xlsx): ${dl.bytes.subarray(0, 20)}`)
  check(/\.xlsx$/.test(dl.name), `export file name ${dl.name}`)
  await page.locator('[data-test=filter-overdue]').click()
  await page.waitForURL(/overdue=1/)
  await waitNoLoading(page)
  await page.getByText('没有符合条件的行政复议案件').waitFor()
  await page.getByRole('button', { name: '重置' }).click()
  await page.locator('[data-test=case-table]').getByText(S.created.caseNo).waitFor()
  await shot('28-case-list')
})

test('a town liaison (大云镇, created through the API) sees the case against 大云镇 but not the one against 西塘镇', async () => {
  const staff = await apiAs('staff')
  const admin = await apiAs('admin')
  const xitang = await orgByName('嘉善县西塘镇人民政府')
  const dayun = await orgByName('嘉善县大云镇人民政府')
  const body = (org, name) => ({
    received_date: todayCst(),
    channel: 'mail',
    respondent_org_id: org.id,
    act: `${org.short_name}作出的限期拆除决定`,
    claims: '请求确认违法',
    applicants: [{ type: 'person', name }],
  })
  const a = await staff.post('/api/v1/reconsiderations', body(xitang, '李西塘'))
  const b = await staff.post('/api/v1/reconsiderations', body(dayun, '赵大云'))
  const role = (await admin.get('/api/v1/roles')).items.find((r) => r.code === 'liaison')
  const user = await admin.post('/api/v1/users', { username: 'e2e.dayun', display_name: '大云镇法治联络员', org_id: dayun.id, role_ids: [role.id] })
  S.passwords['e2e.dayun'] = user.initial_password
  await apiAs('e2e.dayun')

  const page = await loginAs('e2e.dayun')
  await page.locator('.fz-menu').getByText('行政复议', { exact: true }).click()
  await page.waitForURL('**/reconsiderations')
  const table = page.locator('[data-test=case-table]')
  await table.getByText(b.case_no).waitFor()
  await waitNoLoading(page)
  const text = await table.innerText()
  check(!text.includes(a.case_no), `大云 liaison sees the 西塘 case ${a.case_no}`)
  check(!text.includes(S.created.caseNo), `大云 liaison sees the county case ${S.created.caseNo}`)
  check((await page.locator('[data-test=create-case]').count()) === 0, 'liaison may register cases without reconsideration.handle')
  await shot('29-case-list-liaison')
  await table.getByText(b.case_no).click()
  await page.waitForURL(`**/reconsiderations/${b.id}`)
  check((await page.locator('[data-test=case-actions]').count()) === 0, 'liaison sees action buttons')
  expectHttpError(403, /^\/api\/v1\/cases\/\d+$/)
  await page.goto(`${S.base}/reconsiderations/${a.id}`)
  await page.getByText('无权查看该案件').waitFor()
  await sleep(100)
})

test('the audit log shows the case actions with their case number', async () => {
  const page = await loginAs('auditor')
  await page.locator('.fz-menu').getByText('审计日志').click()
  await page.waitForURL('**/audit')
  await waitNoLoading(page)
  await page.locator('.fz-filter .el-select').first().click()
  await page.keyboard.type('案件办理')
  await page.locator('.el-select-dropdown__item:visible', { hasText: '案件办理(全部)' }).first().click()
  await waitNoLoading(page)
  const table = page.locator('[data-test=audit-table]')
  await table.getByText(`${S.created.caseNo} 受理`).first().waitFor()
  const rows = await table.locator('.el-table__body tr').allInnerTexts()
  check(rows.length > 0 && rows.every((r) => /办理案件|添加案件备注|上传案件附件|添加当事人/.test(r)), `filtered rows: ${rows.slice(0, 3)}`)
  for (const step of ['受理', '发送申请书副本', '作出决定', '结案']) {
    check(rows.some((r) => r.includes(S.created.caseNo) && r.includes(step)), `no audit row for ${step}`)
  }
  await shot('30-audit-cases')
})
