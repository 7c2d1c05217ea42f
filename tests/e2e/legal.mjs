// The legal lines in the browser, each through its main path:
//   合法性审查  submitted with a document through the form, accepted, a
//              reviewer, two opinions, concluded 合法, each opinion marked
//              (未采纳 without a reason refused under the field), the signed
//              opinion letter downloaded and opened as a .docx;
//   规范性文件  registered (number shown, the server's warning about a short
//              comment period), found by a Chinese word of its title through
//              the server's full-text search, filed and registered;
//   清理        a batch for the org, a decision per document (废止 without a
//              reason refused, the document named), published: the
//              document's status changes; the .xlsx and .docx lists;
//   重大行政决策 a catalogue (publication before party approval refused), a
//              decision, collective discussion before the legality review →
//              the server's 409 message in the dialog, the concluded review
//              linked, steps marked not applicable only with a reason, then
//              adopted.
// Needs nothing from the other files (FAZHI_E2E_ONLY=legal runs it alone).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { S, apiAs, check, downloadOf, expectHttpError, loginAs, menuItems, openedDialog, shot, test, todayCst } from './lib.mjs'

const FGJ = '嘉善县发展和改革局'
const REVIEW_SUBJECT = '嘉善县数字乡村建设三年行动计划(草案)'
const OPINION_1 = '第五条资金保障应当明确来源和预算安排'
const OPINION_2 = '第九条建议增加考核条款'
const DOC_TITLE = '嘉善县促进数字乡村建设的实施意见'
const L = {}

// Pick an org in an OrgPicker: open it, type part of the name, click the node.
async function pickOrg(page, picker, typed, name) {
  await picker.click()
  await page.keyboard.type(typed)
  await page.locator('.el-tree-node__content:visible', { hasText: name }).first().click()
}

async function pickOption(page, select, label) {
  await select.click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click()
}

function actionButton(page, name) {
  return page.locator('[data-test=case-actions]').getByRole('button', { name, exact: true })
}

// Open an action's form from `opener`, fill it, submit; the dialog closes.
async function runAction(page, opener, title, fill) {
  await opener.click()
  const dialog = await openedDialog(page, title)
  if (fill) await fill(dialog)
  await dialog.locator('[data-test=action-submit]').click()
  await dialog.waitFor({ state: 'hidden' })
}

async function waitState(page, state) {
  await page.locator('[data-test=case-state]', { hasText: state }).waitFor()
}

function docxText(bytes, member = 'word/document.xml') {
  const file = path.join(S.tmp, `legal-${Date.now()}.zip`)
  fs.writeFileSync(file, bytes)
  const r = spawnSync('unzip', ['-p', file, member], { encoding: 'utf8' })
  check(r.status === 0, `unzip ${member}: ${r.stderr}`)
  return r.stdout
}

function daysAgo(n) {
  const d = new Date(todayCst() + 'T00:00:00Z')
  d.setUTCDate(d.getUTCDate() - n)
  return d.toISOString().slice(0, 10)
}

test('合法性审查: the menu group; a 重大行政决策 draft submitted through the form with its document attached', async () => {
  await apiAs('staff') // replaces the initial password
  const page = await loginAs('staff')
  const items = await menuItems(page)
  for (const m of ['合法性审查', '规范性文件', '文件清理', '重大行政决策']) check(items.includes(m), `no menu entry ${m}: [${items}]`)
  await page.locator('.fz-menu').getByText('合法性审查', { exact: true }).click()
  await page.waitForURL('**/reviews')
  await page.locator('[data-test=create-review]').click()
  await page.waitForURL('**/reviews/new')
  const form = page.locator('[data-test=create-form]')
  await form.getByText('重大行政决策', { exact: true }).click()
  await pickOrg(page, form.locator('[data-test=submitting-org]'), '发展和改革', FGJ)
  await form.locator('input[name=subject_title]').fill(REVIEW_SUBJECT)
  await form.locator('[data-test=files-input]').setInputFiles({
    name: '送审稿及起草说明.docx',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('PK\u0003\u0004 draft of the plan'),
  })
  await form.locator('[data-test=picked-file]', { hasText: '送审稿及起草说明.docx' }).waitFor()
  await shot('40-review-create')
  await form.locator('[data-test=create-submit]').click()
  await page.waitForURL(/\/reviews\/\d+$/)
  L.reviewId = Number(/(\d+)$/.exec(new URL(page.url()).pathname)[1])
  L.reviewNo = (await page.locator('[data-test=case-no]').innerText()).trim()
  check(/^嘉善法审〔\d{4}〕\d+号$/.test(L.reviewNo), `review number ${L.reviewNo}`)
  await waitState(page, '已送审待接收')
  const detail = await (await apiAs('staff')).get(`/api/v1/cases/${L.reviewId}`)
  check(detail.fields.subject_kind === 'major_decision' && detail.party_org_name === FGJ, `stored as ${detail.fields.subject_kind} from ${detail.party_org_name}`)
  check(detail.attachments.map((a) => a.filename).join() === '送审稿及起草说明.docx', `attachments: ${JSON.stringify(detail.attachments)}`)
  await page.locator('[data-test=case-tabs]').getByRole('tab', { name: /^附件/ }).click()
  await page.locator('[data-test=attachment-table]').getByText('送审稿及起草说明.docx').waitFor()
})

test('合法性审查: accept, a lead reviewer, two opinions, conclude 合法; adoption per opinion (未采纳 needs a reason); the signed letter is a .docx', async () => {
  const page = S.page
  await runAction(page, actionButton(page, '接收审查'), '接收审查')
  await waitState(page, '审查中')
  await runAction(page, actionButton(page, '指定审查人员'), '指定审查人员', async (d) => {
    check((await d.locator('[data-field=name]').count()) === 0, 'an adviser name field for a staff reviewer')
    await pickOption(page, d.locator('[data-test=select-user_id]'), '(staff)')
    await d.locator('[data-field=lead] .el-switch').click()
  })
  await page.locator('[data-test=reviewer-table] .el-tag', { hasText: '主审' }).waitFor()
  for (const [content, basis] of [[OPINION_1, '《重大行政决策程序暂行条例》第二十条'], [OPINION_2, '']]) {
    await runAction(page, page.locator('[data-test=add-opinion]'), '提出审查意见', async (d) => {
      await d.locator('[name=content]').fill(content)
      if (basis) await d.locator('[name=basis]').fill(basis)
    })
    await page.locator('[data-test=opinion-table]').getByText(content).waitFor()
  }
  await runAction(page, actionButton(page, '出具审查意见'), '出具审查意见', async (d) => {
    await d.locator('[data-test=select-conclusion]').click()
    await page.locator('.el-select-dropdown__item:visible').getByText('合法', { exact: true }).click()
    await d.locator('[name=signer]').fill('王局长')
  })
  await waitState(page, '已出具审查意见')
  const outcome = (await page.locator('[data-test=case-outcome]').innerText()).trim()
  check(outcome === '合法', `conclusion shown: ${outcome}`)

  const rows = page.locator('[data-test=opinion-table] .el-table__body tr')
  check((await rows.count()) === 2, `${await rows.count()} opinion rows`)
  await runAction(page, rows.nth(0).locator('[data-test=record-adoption]'), '登记意见采纳情况', async (d) => {
    check((await d.locator('[data-field=opinion_id]').count()) === 0, 'the row button still asks which opinion')
  })
  await rows.nth(0).locator('[data-test=adoption]', { hasText: '采纳' }).waitFor()
  await rows.nth(1).locator('[data-test=record-adoption]').click()
  const d = await openedDialog(page, '登记意见采纳情况')
  await d.getByText('未采纳', { exact: true }).click()
  expectHttpError(400, /^\/api\/v1\/cases\/\d+\/actions\/record_adoption$/)
  await d.locator('[data-test=action-submit]').click()
  const err = d.locator('[data-field=reason] .el-form-item__error')
  await err.waitFor()
  check((await err.innerText()).includes('理由'), `message under 理由: ${await err.innerText()}`)
  await shot('41-review-adoption-reason')
  await d.locator('[name=reason]').fill('起草单位说明考核另行规定')
  await d.locator('[data-test=action-submit]').click()
  await d.waitFor({ state: 'hidden' })
  await rows.nth(1).locator('[data-test=adoption]', { hasText: '未采纳' }).waitFor()
  const counts = await page.locator('[data-test=opinion-counts]').innerText()
  check(/采纳 1/.test(counts) && /未采纳\s*1/.test(counts) && /待反馈 0/.test(counts), `counts: ${counts}`)
  const js = await (await apiAs('staff')).get(`/api/v1/cases/${L.reviewId}`)
  check(js.fields.opinions.map((o) => o.adoption).join() === 'adopted,not_adopted', `stored adoptions ${js.fields.opinions.map((o) => o.adoption)}`)

  const dl = await downloadOf(page, () => page.locator('[data-test=letter-download]').click())
  check(dl.name.endsWith('.docx') && dl.bytes.subarray(0, 2).toString() === 'PK', `letter ${dl.name}: ${dl.bytes.subarray(0, 8)}`)
  const xml = docxText(dl.bytes)
  for (const want of ['合法性审查意见书', L.reviewNo, OPINION_1, '签发人:王局长', FGJ]) check(xml.includes(want), `the letter lacks ${want}`)
  await shot('42-review-concluded')
})

test('规范性文件: registered through the form with the number shown; the server warns about a 5-day comment period', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('规范性文件', { exact: true }).click()
  await page.waitForURL('**/normdocs')
  await page.locator('[data-test=create-normdoc]').click()
  await page.waitForURL('**/normdocs/new')
  const form = page.locator('[data-test=create-form]')
  const preview = await form.locator('[data-test=number-preview]').innerText()
  check(preview.includes(`GFWJ-${todayCst().slice(0, 4)}-`), `number preview: ${preview}`)
  await pickOrg(page, form.locator('[data-test=issuing-org]'), '发展和改革', FGJ)
  await form.locator('input[name=title]').fill(DOC_TITLE)
  await form.locator('input[name=doc_no]').fill('善发改〔2026〕88号')
  const range = form.locator('[data-test=comment-range] input')
  await range.nth(0).fill(daysAgo(30))
  await range.nth(1).fill(daysAgo(26))
  await range.nth(1).press('Enter')
  await form.getByText('共 5 日').waitFor()
  await form.locator('textarea[name=text]').fill('为推进数字乡村建设,加快农业农村现代化,结合本县实际,制定本意见。')
  await shot('43-normdoc-create')
  await form.locator('[data-test=create-submit]').click()
  await page.waitForURL(/\/normdocs\/\d+$/)
  L.docId = Number(/(\d+)$/.exec(new URL(page.url()).pathname)[1])
  L.docNo = (await page.locator('[data-test=case-no]').innerText()).trim()
  check(/^GFWJ-\d{4}-\d{4}$/.test(L.docNo), `registration number ${L.docNo}`)
  await waitState(page, '有效')
  const warnings = page.locator('[data-test=normdoc-warnings]')
  await warnings.getByText(/公开征求意见\d+个工作日,少于7个工作日/).waitFor()
  check(await warnings.getByText('未关联合法性审核记录').isVisible(), 'no warning about the missing legality review')
  await shot('44-normdoc-registered')
})

test('规范性文件: found by a Chinese word of its title through the server-side search, then filed and registered', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('规范性文件', { exact: true }).click()
  await page.waitForURL('**/normdocs')
  const box = page.locator('input[data-test=normdoc-search], [data-test=normdoc-search] input')
  await box.fill('量子计算机')
  await box.press('Enter')
  await page.waitForURL(/q=/)
  await page.getByText('没有找到含“量子计算机”的规范性文件').waitFor()
  await box.fill('数字乡村')
  await box.press('Enter')
  const row = page.locator('[data-test=normdoc-table] .el-table__body tr', { hasText: DOC_TITLE })
  await row.waitFor()
  check((await page.locator('[data-test=normdoc-table] .el-table__body tr').count()) === 1, 'more than the one document found')
  check((await row.locator('[data-test=excerpt] mark').first().innerText()) === '数字乡村', 'the hit is not marked in the excerpt')
  check(new URL(page.url()).searchParams.get('q') === '数字乡村', `search not in the URL: ${page.url()}`)
  await shot('45-normdoc-search')
  await row.getByRole('link', { name: L.docNo }).click()
  await page.waitForURL(`**/normdocs/${L.docId}`)
  await runAction(page, actionButton(page, '报送备案'), '报送备案', async (d) => {
    await d.locator('input[name=authority]').fill('嘉善县人民政府')
  })
  await page.locator('[data-test=on-time]', { hasText: '按时报送' }).waitFor()
  await runAction(page, actionButton(page, '登记备案审查结果'), '登记备案审查结果', async (d) => {
    check(await d.getByText('不予登记', { exact: true }).isVisible(), 'no 不予登记 choice')
  })
  await page.locator('[data-test=filing-result]', { hasText: '登记' }).waitFor()
  const js = await (await apiAs('staff')).get(`/api/v1/cases/${L.docId}`)
  check(js.fields.filing.authority === '嘉善县人民政府' && js.fields.filing.on_time === true && js.fields.filing.result === 'registered', `filing ${JSON.stringify(js.fields.filing)}`)
  await shot('46-normdoc-filed')
})

test('清理: a batch for the org, a decision per document (废止 without a reason refused), published: the document is 废止; .xlsx and .docx lists', async () => {
  const page = S.page
  await page.locator('.fz-menu').getByText('文件清理', { exact: true }).click()
  await page.waitForURL('**/normdoc-cleanups')
  await page.locator('[data-test=create-cleanup]').click()
  const dialog = await openedDialog(page, '新建清理')
  await pickOrg(page, dialog.locator('[data-test=cleanup-org]'), '发展和改革', FGJ)
  await dialog.locator('[data-test=cleanup-create-submit]').click()
  await page.waitForURL(/\/normdoc-cleanups\/\d+$/)
  L.batchId = Number(/(\d+)$/.exec(new URL(page.url()).pathname)[1])
  await page.locator('[data-test=cleanup-status]', { hasText: '清理中' }).waitFor()
  const rows = page.locator('[data-test=cleanup-items] .el-table__body tr')
  await rows.first().waitFor()
  const n = await rows.count()
  for (let i = 0; i < n; i++) {
    const mine = (await rows.nth(i).innerText()).includes(DOC_TITLE)
    await pickOption(page, rows.nth(i).locator('[data-test=item-decision]'), mine ? '废止' : '继续有效')
  }
  expectHttpError(400, /^\/api\/v1\/normdoc-cleanups\/\d+\/items$/)
  await page.locator('[data-test=cleanup-save]').click()
  const problem = page.locator('[data-test=cleanup-problem]')
  await problem.waitFor()
  const msg = await problem.innerText()
  check(msg.includes(DOC_TITLE) && msg.includes('说明理由'), `message: ${msg}`)
  await rows.filter({ hasText: DOC_TITLE }).locator('input[data-test=item-reason], [data-test=item-reason] input').fill('已被县政府新文件替代')
  // Publish only once the decisions are stored: the message disappears when saving starts, not when it ends.
  const saved = page.waitForResponse(r => /^\/api\/v1\/normdoc-cleanups\/\d+\/items$/.test(new URL(r.url()).pathname) &&
    r.request().method() !== 'GET')
  await page.locator('[data-test=cleanup-save]').click()
  const savedReply = await saved
  check(savedReply.ok(), `saving the decisions: HTTP ${savedReply.status()}`)
  await page.waitForFunction(() => !document.querySelector('[data-test=cleanup-problem]'))
  await shot('47-cleanup-decided')
  await page.locator('[data-test=cleanup-publish]').click()
  await page.locator('[data-test=cleanup-status]', { hasText: '已公布' }).waitFor()
  check((await rows.filter({ hasText: DOC_TITLE }).innerText()).includes('废止'), 'the document row does not show 废止')
  const batch = await (await apiAs('staff')).get(`/api/v1/normdoc-cleanups/${L.batchId}`)
  check(batch.status === 'published' && batch.counts.repeal === 1 && batch.counts.undecided === 0, `batch ${JSON.stringify(batch.counts)}`)

  const xlsx = await downloadOf(page, () => page.locator('[data-test=cleanup-xlsx]').click())
  check(xlsx.name.endsWith('.xlsx') && xlsx.bytes.subarray(0, 2).toString() === 'PK', `xlsx ${xlsx.name}`)
  const docx = await downloadOf(page, () => page.locator('[data-test=cleanup-docx]').click())
  check(docx.name.endsWith('.docx') && docx.bytes.subarray(0, 2).toString() === 'PK', `docx ${docx.name}`)
  const xml = docxText(docx.bytes)
  check(xml.includes('决定废止的行政规范性文件目录(1件)') && xml.includes(DOC_TITLE), 'the .docx lacks the repealed list')
  await shot('48-cleanup-published')

  await rows.filter({ hasText: DOC_TITLE }).getByRole('link', { name: L.docNo }).click()
  await page.waitForURL(`**/normdocs/${L.docId}`)
  await waitState(page, '废止')
  await page.locator('[data-test=case-tabs]').getByRole('tab', { name: /^办理进程/ }).click()
  await page.locator('[data-test=timeline]').getByText(/行政规范性文件清理:废止,已被县政府新文件替代/).waitFor()
})

test('重大行政决策: a catalogue (published before party approval refused), a decision; discussion before the review → the 409 message', async () => {
  const page = S.page
  const year = todayCst().slice(0, 4)
  await page.locator('.fz-menu').getByText('重大行政决策', { exact: true }).click()
  await page.waitForURL('**/decisions')
  await page.locator('[data-test=create-catalogue]').click()
  const cd = await openedDialog(page, '新建决策事项目录')
  check((await cd.locator('input[data-test=catalogue-year], [data-test=catalogue-year] input').inputValue()) === year, 'the year does not default to this year')
  await cd.locator('[data-test=catalogue-create-submit]').click()
  await page.locator('[data-test=catalogue-title]', { hasText: `${year}年度重大行政决策事项目录` }).waitFor()
  await page.locator('[data-test=catalogue-status]', { hasText: '编制中' }).waitFor()
  const pub = page.locator('input[name=published_date]')
  await pub.fill(todayCst())
  await pub.press('Enter')
  expectHttpError(409, /^\/api\/v1\/decision-catalogues\/\d+$/)
  await page.locator('[data-test=catalogue-save]').click()
  const problem = page.locator('[data-test=catalogue-problem]')
  await problem.waitFor()
  check((await problem.innerText()).includes('党委同意'), `message: ${await problem.innerText()}`)
  const appr = page.locator('input[name=party_approved_date]')
  await appr.fill(daysAgo(1))
  await appr.press('Enter')
  await page.locator('[data-test=catalogue-save]').click()
  await page.locator('[data-test=catalogue-status]', { hasText: '已公布' }).waitFor()

  await page.locator('[data-test=create-decision]').click()
  const dd = await openedDialog(page, '新增决策事项')
  await dd.locator('input[name=title]').fill('嘉善县数字乡村建设三年行动计划')
  await pickOrg(page, dd.locator('[data-test=lead-org]'), '发展和改革', FGJ)
  await dd.locator('[data-test=decision-create-submit]').click()
  await page.waitForURL(/\/decisions\/\d+$/)
  L.decisionId = Number(/(\d+)$/.exec(new URL(page.url()).pathname)[1])
  await waitState(page, '履行决策程序中')
  await page.locator('[data-test=decision-gate]', { hasText: '未经合法性审查' }).waitFor()

  await actionButton(page, '集体讨论决定:通过').click()
  const d = await openedDialog(page, '集体讨论决定:通过')
  await d.locator('input[name=meeting_name]').fill('县政府第20次常务会议')
  await d.locator('[name=dissent]').fill('无')
  expectHttpError(409, /^\/api\/v1\/cases\/\d+\/actions\/adopt$/)
  await d.locator('[data-test=action-submit]').click()
  const refusal = d.locator('[data-test=action-error]')
  await refusal.waitFor()
  const text = await refusal.innerText()
  check(text.includes('未经合法性审查的重大行政决策,不得提交集体讨论决定'), `the dialog shows: ${text}`)
  await shot('49-decision-gate-409')
  await d.getByRole('button', { name: '取消' }).click()
  await d.waitFor({ state: 'hidden' })
  const js = await (await apiAs('staff')).get(`/api/v1/cases/${L.decisionId}`)
  check(js.state === 'preparing' && js.fields.steps.find((s) => s.code === 'discussion').status === 'pending', 'the refused discussion changed the decision')
})

test('重大行政决策: the concluded review linked, steps marked 不适用 only with a reason, then adopted by collective discussion', async () => {
  const page = S.page
  await runAction(page, page.locator('[data-test=step-legality]'), '关联合法性审查', async (d) => {
    await pickOption(page, d.locator('[data-test=select-review_id]'), L.reviewNo)
  })
  await page.locator('[data-test=review-link]', { hasText: L.reviewNo }).waitFor()
  await page.locator('[data-test=step-table] [data-step=legality]', { hasText: '已完成' }).waitFor()
  const legality = await page.locator('[data-test=step-table] .el-table__body tr', { hasText: '合法性审查' }).innerText()
  check(legality.includes(`审查案件${L.reviewNo}(合法)`), `legality step row: ${legality}`)
  for (const [step, title] of [['participation', '公众参与'], ['expert', '专家论证'], ['risk', '风险评估']]) {
    await page.locator(`[data-test=skip-${step}]`).click()
    const d = await openedDialog(page, '说明程序不适用')
    check((await d.locator('[data-field=step]').count()) === 0, `the ${title} row still asks which step`)
    await d.locator('[data-test=action-submit]').click()
    const err = d.locator('[data-field=reason] .el-form-item__error')
    await err.waitFor()
    check((await err.innerText()).includes('不适用的理由'), `no reason demanded for ${title}: ${await err.innerText()}`)
    await d.locator('[name=reason]').fill(`本事项不涉及${title}的法定情形`)
    await d.locator('[data-test=action-submit]').click()
    await d.waitFor({ state: 'hidden' })
    await page.locator(`[data-test=step-table] [data-step=${step}]`, { hasText: '不适用' }).waitFor()
  }
  await page.locator('[data-test=decision-gate]', { hasText: '可以提交集体讨论决定' }).waitFor()
  await runAction(page, page.locator('[data-test=step-discussion]'), '集体讨论决定:通过', async (d) => {
    await d.locator('input[name=meeting_name]').fill('县政府第21次常务会议')
    await d.locator('[name=dissent]').fill('无')
  })
  await waitState(page, '已作出决定')
  await page.locator('[data-test=step-table] [data-step=discussion]', { hasText: '已完成' }).waitFor()
  const js = await (await apiAs('staff')).get(`/api/v1/cases/${L.decisionId}`)
  check(js.outcome === 'adopted' && js.fields.review.review_id === L.reviewId, `decision ${js.outcome}, review ${JSON.stringify(js.fields.review)}`)
  const risk = js.fields.steps.find((s) => s.code === 'risk')
  check(risk.status === 'not_applicable' && risk.reason === '本事项不涉及风险评估的法定情形', `risk step ${JSON.stringify(risk)}`)
  await shot('50-decision-adopted')
  await page.locator('[data-test=legal-panel]').getByRole('link', { name: /年度重大行政决策事项目录/ }).click()
  await page.waitForURL(/\/decisions\?catalogue=\d+/)
  await page.locator('[data-test=decision-table] .el-table__body tr', { hasText: '已作出决定' }).waitFor()
})
