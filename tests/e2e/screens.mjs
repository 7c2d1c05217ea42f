// The other business screens: the 首页 dashboard, 工作台账, the annual report
// editor, 历史台账导入 and 节假日安排.
import { S, check, downloadOf, expectHttpError, loginAs, openedDialog, shot, sleep, test, waitNoLoading } from './lib.mjs'

test('首页 dashboard (staff): key figures with 同比, 暂无数据 for missing ones, the monthly chart drawn on a canvas, ranking, due soon', async () => {
  const page = await loginAs('staff')
  await page.locator('[data-test=dashboard]').waitFor()
  await page.locator('[data-test=trend-chart] canvas').first().waitFor()
  const received = page.locator('[data-test=kpis] [data-metric="reconsideration.received"]')
  await received.locator('.fz-kpi-value').waitFor()
  const n = Number((await received.locator('.fz-kpi-value').innerText()).replace(/[^\d]/g, ''))
  check(n >= 3, `收案 shows ${n}, expected at least the 3 cases registered`)
  const rate = await page.locator('[data-test=kpis] [data-metric="reconsideration.correction_rate"]').innerText()
  check(/100\s*%/.test(rate), `纠错率 after one 撤销 decision: ${rate}`)
  const loss = await page.locator('[data-test=kpis] [data-metric="litigation.loss_rate"]').innerText()
  check(loss.includes('暂无数据') && !/\b0\s*%/.test(loss), `败诉率 without any litigation: ${loss}`)
  await page.locator('[data-test=home-due]').waitFor()
  const box = await page.locator('[data-test=trend-chart]').boundingBox()
  check(box && box.width > 300 && box.height > 200, `chart box ${JSON.stringify(box)}`)
  await sleep(400) // the chart's entry animation
  await shot('31-dashboard')
})

test('工作台账: register an entry through the form, then void it with a reason', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('工作台账').click()
  await page.waitForURL('**/ledger')
  await waitNoLoading(page)
  await page.locator('[data-test=ledger-create]').click()
  const dialog = await openedDialog(page, '登记台账')
  await dialog.locator('[data-test=ledger-category]').click()
  await page.locator('.el-select-dropdown__item:visible').getByText('培训', { exact: true }).click()
  await dialog.locator('input[name=title]').fill('全县行政执法人员法律知识培训')
  await dialog.locator('.el-form-item', { hasText: '人数' }).locator('input').fill('85')
  expectHttpError(400, /^\/api\/v1\/ledger$/)
  await dialog.locator('input[name=amount_yuan]').fill('12.345')
  await dialog.locator('[data-test=ledger-save]').click()
  const amountErr = dialog.locator('.el-form-item', { has: page.locator('input[name=amount_yuan]') }).locator('.el-form-item__error')
  await amountErr.waitFor()
  check((await amountErr.innerText()).includes('两位小数'), `amount message: ${await amountErr.innerText()}`)
  await dialog.locator('input[name=amount_yuan]').fill('1200.50')
  await shot('32-ledger-create')
  await dialog.locator('[data-test=ledger-save]').click()
  await dialog.waitFor({ state: 'hidden' })
  const row = page.locator('[data-test=ledger-table] .el-table__body tr', { hasText: '全县行政执法人员法律知识培训' }).first()
  await row.waitFor()
  const text = await row.innerText()
  check(text.includes('培训') && text.includes('85') && text.includes('1200.50'), `new row: ${text}`)
  await shot('33-ledger')
  await row.getByRole('button', { name: '作废' }).click()
  const voidDialog = await openedDialog(page, '作废台账记录')
  await voidDialog.locator('input[name=void_reason]').fill('重复登记')
  await voidDialog.getByRole('button', { name: '确认作废' }).click()
  await voidDialog.waitFor({ state: 'hidden' })
  await page.locator('[data-test=ledger-table]').getByText('没有符合条件的台账记录').waitFor()
})

test('工作台账 filters live in the URL: 含已作废 shows the voided entry (also after a reload), a keyword narrows, 重置 clears', async () => {
  const page = S.page
  const table = page.locator('[data-test=ledger-table]')
  const entry = table.locator('.el-table__body tr', { hasText: '全县行政执法人员法律知识培训' })
  await page.locator('.fz-filter .el-form-item', { hasText: '含已作废' }).locator('.el-switch').click()
  await page.waitForURL(/[?&]voided=1/)
  await entry.first().waitFor()
  check((await entry.first().innerText()).includes('已作废'), `voided row: ${await entry.first().innerText()}`)
  await page.reload()
  await entry.first().waitFor()
  await page.locator('input[name=q]').fill('不存在的事项')
  await page.locator('input[name=q]').press('Enter')
  await page.waitForURL(/[?&]q=/)
  await table.getByText('没有符合条件的台账记录').waitFor()
  await page.locator('input[name=q]').fill('执法人员')
  await page.locator('input[name=q]').press('Enter')
  await entry.first().waitFor()
  await page.locator('[data-test=filter-reset]').click()
  await page.waitForURL((u) => u.search === '')
  await table.getByText('没有符合条件的台账记录').waitFor()
  check((await page.locator('input[name=q]').inputValue()) === '', '重置 left the keyword')
})

test('年度报告: create the county report of this year, type a narrative with placeholders, the preview follows, save, download .docx', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('年度报告').click()
  await page.waitForURL('**/reports')
  await page.locator('[data-test=report-create]').click()
  const dialog = await openedDialog(page, '新建年度报告')
  const year = new Date().getFullYear()
  check((await dialog.locator('input[name=year]').inputValue()) === String(year), 'year does not default to this year')
  await dialog.locator('[data-test=report-create-submit]').click()
  await page.waitForURL(/\/reports\/\d+$/)
  await page.locator('[data-test=report-title]', { hasText: `嘉善县人民政府${year}年度法治政府建设情况报告` }).waitFor()

  await page.locator('[data-test=report-outline] [data-key="achievements.reconsideration"]').click()
  const area = page.locator('textarea[name=narrative]')
  await area.fill('本年度全县收到行政复议申请{{reconsideration.received}}件,行政诉讼败诉率')
  // The helper inserts at the cursor.
  await area.press('End')
  await page.locator('[data-test=placeholder-helper] [data-metric="litigation.loss_rate"]').getByRole('button', { name: '数值' }).click()
  check((await area.inputValue()).endsWith('{{litigation.loss_rate}}'), `helper inserted: ${await area.inputValue()}`)
  const body = page.frameLocator('[data-test=report-preview]').locator('body')
  await body.filter({ hasText: /本年度全县收到行政复议申请\d+件/ }).waitFor()
  const missing = page.locator('[data-test=report-missing]')
  await missing.filter({ hasText: '行政诉讼败诉率' }).waitFor()
  const marked = await page.frameLocator('[data-test=report-preview]').locator('mark.missing').count()
  check(marked > 0, 'no missing figure marked in the preview')
  await page.locator('[data-test=report-dirty]').waitFor()
  await shot('34-report-editor')
  await page.locator('[data-test=report-save]').click()
  await page.locator('[data-test=report-dirty]').waitFor({ state: 'detached' })
  const dl = await downloadOf(page, () => page.locator('[data-test=report-docx]').click())
  check(dl.bytes.subarray(0, 2).toString() === 'PK', `the .docx is not a zip: ${dl.bytes.subarray(0, 40)}`)
  check(/\.docx$/.test(dl.name), `download named ${dl.name}`)
})

test('历史台账导入: a bad CSV shows the error table (行号, 列, 问题) and nothing is imported', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('历史台账导入').click()
  await page.waitForURL('**/import')
  const tpl = await downloadOf(page, () => page.locator('[data-test=import-template]').click())
  check(tpl.bytes.toString('utf8').includes('收到申请日期'), `template: ${tpl.bytes.subarray(0, 80)}`)
  const csv = '收到申请日期,申请人,被申请人\n2026-02-30,张三,嘉善县自然资源和规划局\n2026-03-05,李四,嘉善县不存在的局\n'
  await page.locator('[data-test=import-file]').setInputFiles({ name: '复议台账.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.locator('[data-test=import-file-name]', { hasText: '复议台账.csv' }).waitFor()
  expectHttpError(400, /^\/api\/v1\/import\/reconsideration$/)
  await page.locator('[data-test=import-submit]').click()
  const table = page.locator('[data-test=import-errors]')
  await table.waitFor()
  const rows = await table.locator('.el-table__body tr').allInnerTexts()
  check(rows.length >= 2, `error rows: ${rows}`)
  check(rows.some((r) => /^\s*2\s/.test(r) && r.includes('收到申请日期')), `no error for line 2's date: ${rows}`)
  check(rows.some((r) => /^\s*3\s/.test(r) && r.includes('被申请人')), `no error for line 3's respondent: ${rows}`)
  check((await page.locator('[data-test=import-error]').innerText()).includes('未导入'), 'no "nothing imported" message')
  await shot('35-import-errors')
})

test('节假日安排 (admin): the year is listed; a day outside the year is refused with the loader message', async () => {
  const page = await loginAs('admin')
  await page.locator('.fz-menu').getByText('节假日安排').click()
  await page.waitForURL('**/calendar')
  await waitNoLoading(page)
  const table = page.locator('[data-test=calendar-table]')
  await table.locator('.el-table__body tr').first().waitFor()
  const count = await table.locator('.el-table__body tr').count()
  check(count > 10, `only ${count} days listed`)
  await shot('36-calendar')
  await page.getByRole('button', { name: '按通知粘贴' }).click()
  const dialog = await openedDialog(page, '按通知粘贴')
  const year = new Date().getFullYear()
  await dialog.locator('textarea[name=calendar_paste]').fill(`${year}-10-01,休,国庆节\n${year}-10-01,班,国庆节`)
  await dialog.getByRole('button', { name: '填入表格' }).click()
  await dialog.waitFor({ state: 'hidden' })
  expectHttpError(400, /^\/api\/v1\/calendar\/\d+$/)
  await page.locator('[data-test=calendar-save]').click()
  const err = page.locator('[data-test=calendar-error]')
  await err.waitFor()
  check((await err.innerText()).includes('重复'), `calendar error: ${await err.innerText()}`)
  await page.getByRole('button', { name: '放弃修改' }).click()
  await waitNoLoading(page)
  check((await table.locator('.el-table__body tr').count()) === count, 'the saved calendar changed')
})

test('main screens at 1366×768 (and some at 1920 wide): no sideways page scroll', async () => {
  const page = await loginAs('staff')
  const screens = [
    ['/', '[data-test=trend-chart] canvas'],
    ['/reconsiderations', '[data-test=case-table]'],
    [`/reconsiderations/${S.created.caseId}`, '[data-test=case-head] h2'],
    ['/reconsiderations/new', '[data-test=create-form]'],
    ['/ledger', '[data-test=ledger-table]'],
    ['/reports', '[data-test=report-table]'],
  ]
  for (const [w, h] of [[1366, 768], [1920, 1080]]) {
    await page.setViewportSize({ width: w, height: h })
    for (const [p, sel] of w === 1366 ? screens : [screens[0], screens[2]]) {
      await page.goto(S.base + p)
      await page.locator(sel).first().waitFor()
      await waitNoLoading(page)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      check(overflow <= 0, `${p} at ${w}px scrolls sideways by ${overflow}px`)
      if (w === 1920 && p === `/reconsiderations/${S.created.caseId}`) await shot('37-case-1920')
    }
  }
  await page.setViewportSize({ width: 1366, height: 768 })
})
