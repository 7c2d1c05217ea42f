// Display helpers: dates as 2021-03-05 / 2021-03-05 14:30, Chinese labels.

// The server sends ISO 8601 with the +08:00 offset; show its own wall-clock time.
export function fmtDateTime(iso) {
  if (!iso) return '—'
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?/.exec(iso)
  return m ? `${m[1]} ${m[2]}` : iso
}

export function fmtDateTimeSec(iso) {
  if (!iso) return '—'
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso)
  return m ? `${m[1]} ${m[2]}` : iso
}

export function fmtDate(iso) {
  if (!iso) return '—'
  return String(iso).slice(0, 10)
}

// 2021年3月5日
export function fmtDateCn(d = new Date()) {
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`
}

export const SCOPE_NAMES = {
  all: '全部数据',
  subtree: '本单位及下级',
  org: '本单位',
  self: '仅本人',
}

export function scopeName(code) {
  return SCOPE_NAMES[code] || code || '—'
}

export const USER_STATUS = {
  active: { label: '正常', type: 'success' },
  locked: { label: '已锁定', type: 'warning' },
  disabled: { label: '已停用', type: 'info' },
}

export const ADMIN_KIND_NAMES = {
  system: '系统管理员',
  security: '安全管理员',
  audit: '审计管理员',
}

export const ACTION_NAMES = {
  'session.login': '登录',
  'session.logout': '退出登录',
  'session.lockout': '账号锁定',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.roles': '设置角色',
  'user.lock': '锁定用户',
  'user.unlock': '解锁用户',
  'user.disable': '停用用户',
  'user.password.change': '修改密码',
  'user.password.reset': '重置密码',
  'user.password.set': '设置密码(命令行)',
  'org.create': '新建机构',
  'org.update': '修改机构',
  'org.move': '移动机构',
  'org.close': '撤销机构',
  'org.reopen': '恢复机构',
  'role.create': '新建角色',
  'role.update': '修改角色',
  'security.policy.update': '修改安全策略',
  'system.init': '初始化系统',
  'system.backup': '备份数据库',
  'reconsideration.create': '登记行政复议',
  'litigation.create': '登记行政应诉',
  'enforcement_application.create': '登记非诉执行申请',
  'case.action': '办理案件',
  'case.note': '添加案件备注',
  'case.party.add': '添加当事人',
  'case.attachment.upload': '上传案件附件',
  'case.import': '导入历史台账',
  'pii.reveal': '查看完整个人信息',
  'calendar.update': '修改节假日安排',
  'ledger.create': '登记台账',
  'ledger.update': '修改台账',
  'ledger.void': '作废台账',
  'ledger.attachment.upload': '上传台账附件',
  'ledger.category.create': '新增台账类别',
  'ledger.category.update': '修改台账类别',
  'report.create': '新建年度报告',
  'report.update': '修改年度报告',
  'report.freeze': '年度报告定稿',
}

export function actionName(code) {
  return ACTION_NAMES[code] || code
}

export const OBJECT_TYPE_NAMES = {
  user: '用户',
  org: '机构',
  role: '角色',
  policy: '安全策略',
  database: '数据库',
  case: '案件',
  case_party: '当事人',
  calendar: '节假日',
  ledger_entry: '台账',
  ledger_category: '台账类别',
  report: '报告',
}

// A number as people read it: thousands separators, at most two decimals.
export function fmtNumber(v, decimals = 2) {
  if (v === null || v === undefined || v === '') return '—'
  const n = Number(v)
  if (!Number.isFinite(n)) return String(v)
  return n.toLocaleString('zh-CN', { maximumFractionDigits: decimals })
}

// Today as 2021-03-05 in the browser's calendar.
export function todayIso() {
  const d = new Date()
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}
