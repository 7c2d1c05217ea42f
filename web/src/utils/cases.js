// The case lines as the UI shows them: one table per kind that maps the
// server's codes (states, enum values of action fields, outcomes) to Chinese
// labels, plus where each kind lives in the app. The server stays the
// authority: it sends state_name / outcome_name itself and decides which
// actions are allowed; these tables only label the codes it sends in
// `actions[].fields[].values` and in the kind-specific `fields`.

export const SUBJECT_KINDS = {
  normative: '行政规范性文件',
  major_decision: '重大行政决策',
  contract: '政府合同',
  meeting_topic: '常务会议议题',
  enforcement_decision: '重大行政执法决定',
  other: '其他',
}

export const CONCLUSIONS = { lawful: '合法', lawful_after_revision: '修改后合法', unlawful: '不合法', returned: '退回补充' }

export const CLEANUP_DECISIONS = { keep: '继续有效', amend: '拟修改', repeal: '废止', expire: '宣布失效' }

export const DECISION_CATEGORIES = {
  public_policy: '重大公共政策和措施',
  planning: '重要规划',
  resources: '重要自然资源和文化资源开发利用',
  construction: '重大公共建设项目',
  other: '其他重大事项',
}

export const KINDS = {
  reconsideration: {
    code: 'reconsideration',
    name: '行政复议',
    path: '/reconsiderations',
    readPerm: 'reconsideration.read',
    handlePerm: 'reconsideration.handle',
    createApi: '/api/v1/reconsiderations',
    createTitle: '登记行政复议案件',
    orgLabel: '复议机关',
    partyOrgLabel: '被申请人',
    receivedLabel: '收到申请日期',
    decidedLabel: '决定日期',
    states: [
      ['registered', '已登记待审查', 'warning'],
      ['correction', '补正中', 'warning'],
      ['accepted', '审理中', 'primary'],
      ['suspended', '中止审理', 'info'],
      ['decided', '已作出决定', 'success'],
      ['terminated', '已终止', 'info'],
      ['closed', '已结案', 'success'],
      ['not_accepted', '不予受理', 'info'],
      ['abandoned', '补正逾期视为放弃', 'info'],
    ],
    // Enum codes by field name (action fields and the kind's `fields`).
    values: {
      channel: { in_person: '当面递交', mail: '邮寄', online: '网上申请', other: '其他方式' },
      procedure: { ordinary: '普通程序', simple: '简易程序' },
      simple_basis: {
        on_the_spot: '当场作出的行政行为',
        warning: '警告或者通报批评',
        small_amount: '案件涉及款额三千元以下',
        info_disclosure: '政府信息公开案件',
        consent: '当事人各方同意适用简易程序',
      },
      outcome: {
        change: '变更',
        revoke: '撤销',
        partial_revoke: '部分撤销',
        confirm_illegal: '确认违法',
        order_perform: '责令履行',
        confirm_invalid: '确认无效',
        uphold: '维持',
        reject: '驳回复议请求',
        mediation: '调解',
        settlement_withdrawal: '和解/撤回',
        other_termination: '其他终止',
      },
    },
    // Action fields shown only when another field says they apply.
    showWhen: {
      accept: {
        simple_basis: (f) => f.procedure === 'simple',
        amount_yuan: (f) => f.procedure === 'simple' && f.simple_basis === 'small_amount',
        all_parties_consent: (f) => f.procedure === 'simple' && f.simple_basis === 'consent',
      },
    },
    // The kind's own fields on the 基本信息 tab, in order.
    detailFields: [
      ['channel', '申请方式'],
      ['procedure', '审理程序'],
      ['act', '被申请复议的行政行为'],
      ['claims', '复议请求'],
      ['amount_yuan', '涉案金额(元)'],
      ['hearing_held', '是否听证'],
      ['opinion_letters', '意见书(份)'],
      ['suggestion_letters', '建议书(份)'],
    ],
  },
  litigation: {
    code: 'litigation',
    name: '行政应诉',
    path: '/litigations',
    readPerm: 'litigation.read',
    handlePerm: 'litigation.handle',
    createApi: '/api/v1/litigations',
    createTitle: '登记行政应诉案件',
    orgLabel: '被告',
    partyOrgLabel: '被告',
    receivedLabel: '收到应诉通知日期',
    decidedLabel: '裁判日期',
    states: [
      ['pending', '应诉中', 'primary'],
      ['judged', '已裁判', 'warning'],
      ['closed', '已结案', 'success'],
    ],
    values: {
      instance: { first: '一审', second: '二审', retrial: '再审' },
      ruling_kind: { judgment: '判决', ruling: '裁定' },
      by: { defendant: '我方(被告)', plaintiff: '原告', third_party: '第三人' },
      outcome: {
        reject_claims: '驳回诉讼请求',
        revoke: '撤销',
        partial_revoke: '部分撤销',
        confirm_illegal: '确认违法',
        confirm_invalid: '确认无效',
        order_perform: '责令履行',
        change: '变更',
        withdrawn: '原告撤诉',
        mediation: '调解',
        dismiss: '驳回起诉',
        other: '其他',
      },
    },
    showWhen: {
      hold_hearing: {
        head_name: (f) => !!f.head_appeared,
        head_post: (f) => !!f.head_appeared,
      },
      set_risk: { note: (f) => !!f.flag },
    },
    detailFields: [
      ['instance', '审级'],
      ['court', '法院'],
      ['filed_date', '立案日期'],
      ['served_date', '应诉通知送达日期'],
      ['carried_over', '上年结转'],
      ['hearing_held', '是否开庭'],
      ['head_appeared', '负责人出庭'],
      ['head_name', '出庭负责人'],
      ['head_post', '出庭负责人职务'],
      ['ruling_kind', '判决或裁定'],
      ['appealed', '是否上诉'],
      ['risk_flag', '败诉风险'],
      ['risk_note', '风险说明'],
    ],
  },
  enforcement_application: {
    code: 'enforcement_application',
    name: '非诉执行申请',
    path: '/enforcements',
    readPerm: 'litigation.read',
    handlePerm: 'litigation.handle',
    createApi: '/api/v1/enforcement-applications',
    createTitle: '登记非诉执行申请',
    orgLabel: '申请机关',
    partyOrgLabel: '申请机关',
    receivedLabel: '申请日期',
    decidedLabel: '裁定日期',
    states: [
      ['applied', '已申请', 'primary'],
      ['ruled', '法院已裁定', 'warning'],
      ['closed', '已结案', 'success'],
    ],
    values: {
      outcome: { granted: '准予执行', partly_granted: '部分准予执行', denied: '不准予执行', withdrawn: '撤回申请' },
    },
    showWhen: {},
    detailFields: [['court', '法院']],
  },
  // 合法性审查 (legality review), 规范性文件 and 重大行政决策 run on the same case
  // engine: /api/v1/cases/{id} and its actions; their own lists and create
  // forms live in views/legal.
  review: {
    code: 'review',
    name: '合法性审查',
    path: '/reviews',
    readPerm: 'review.read',
    handlePerm: 'review.handle',
    createPerms: ['review.submit', 'review.handle'],
    createApi: '/api/v1/reviews',
    createTitle: '送审合法性审查',
    orgLabel: '审查机关',
    partyOrgLabel: '送审单位',
    receivedLabel: '送审日期',
    decidedLabel: '出具意见日期',
    outcomeLabel: '审查结论',
    acceptedLabel: '接收日期',
    noParties: true,
    states: [
      ['submitted', '已送审待接收', 'warning'],
      ['supplementing', '补充材料中', 'warning'],
      ['reviewing', '审查中', 'primary'],
      ['concluded', '已出具审查意见', 'success'],
      ['closed', '已办结', 'success'],
      ['withdrawn', '已撤回', 'info'],
    ],
    values: {
      subject_kind: SUBJECT_KINDS,
      procedure: { ordinary: '一般程序', simple: '简易程序' },
      reviewer_type: { staff: '审查人员', legal_advisor: '法律顾问', justice_office: '司法所' },
      conclusion: CONCLUSIONS,
      adoption: { adopted: '采纳', partly: '部分采纳', not_adopted: '未采纳', pending: '待反馈' },
    },
    showWhen: {
      add_reviewer: {
        user_id: (f) => f.reviewer_type === 'staff',
        org_id: (f) => f.reviewer_type === 'justice_office',
        name: (f) => f.reviewer_type === 'legal_advisor',
      },
      record_adoption: { reason: (f) => !!f.adoption && f.adoption !== 'adopted' },
    },
    detailFields: [
      ['subject_kind', '审查事项类别'],
      ['subject_title', '送审文件或事项'],
      ['procedure', '审查程序'],
      ['item_count', '议题数'],
      ['amount_yuan', '合同金额(元)'],
      ['counterparty', '合同相对方'],
      ['description', '送审说明'],
      ['conclusion_note', '结论说明'],
      ['signer', '签发人'],
    ],
  },
  normdoc: {
    code: 'normdoc',
    name: '规范性文件',
    path: '/normdocs',
    readPerm: 'normdocs.read',
    handlePerm: 'normdocs.manage',
    createApi: '/api/v1/normdocs',
    createTitle: '登记规范性文件',
    orgLabel: '制定机关',
    partyOrgLabel: '制定机关',
    receivedLabel: '公布日期',
    decidedLabel: '施行日期',
    outcomeLabel: '备案审查结果',
    noParties: true,
    states: [
      ['effective', '有效', 'success'],
      ['to_amend', '拟修改', 'warning'],
      ['amended', '已修改', 'primary'],
      ['repealed', '废止', 'info'],
      ['expired', '失效', 'info'],
    ],
    values: {
      result: { registered: '登记', refused: '不予登记' },
      decision: CLEANUP_DECISIONS,
    },
    showWhen: {},
    detailFields: [
      ['doc_no', '文号'],
      ['issued_date', '公布日期'],
      ['effective_date', '施行日期'],
      ['expiry_date', '有效期截止日期'],
      ['affects_business', '涉及市场主体生产经营'],
    ],
  },
  decision: {
    code: 'decision',
    name: '重大行政决策',
    path: '/decisions',
    readPerm: 'decisions.read',
    handlePerm: 'decisions.manage',
    createApi: '/api/v1/decisions',
    createTitle: '新增决策事项',
    orgLabel: '决策机关',
    partyOrgLabel: '承办单位',
    receivedLabel: '列入目录日期',
    decidedLabel: '决定日期',
    outcomeLabel: '决定结果',
    noParties: true,
    states: [
      ['preparing', '履行决策程序中', 'primary'],
      ['decided', '已作出决定', 'warning'],
      ['implementing', '已公布实施', 'success'],
      ['archived', '已立卷归档', 'success'],
      ['not_adopted', '未通过', 'info'],
      ['withdrawn', '已调出目录', 'info'],
    ],
    values: {
      category: DECISION_CATEGORIES,
      meeting: { standing: '常务会议', plenary: '全体会议' },
      outcome: { adopted: '通过', adopted_with_changes: '修改后通过', rejected: '不予通过' },
      level: { low: '低风险', medium: '中风险', high: '高风险' },
      step: {
        participation: '公众参与',
        expert: '专家论证',
        risk: '风险评估',
        legality: '合法性审查',
        discussion: '集体讨论决定',
        publication: '决策公布',
        archive: '立卷归档',
        evaluation: '决策后评估',
      },
      trigger: {
        ineffective: '实施后明显未达到预期效果',
        many_opinions: '公民、法人或者其他组织提出较多意见',
        deemed_necessary: '决策机关认为有必要',
        basis_changed: '所依据的法律、政策或者客观情况发生重大变化',
        other: '其他',
      },
      evaluator: { self: '决策机关自行评估', third_party: '委托第三方评估' },
    },
    showWhen: { evaluate: { third_party_name: (f) => f.evaluator === 'third_party' } },
    detailFields: [
      ['category', '决策事项类别'],
      ['description', '事项说明'],
    ],
  },
}


export function kindOf(code) {
  return KINDS[code] || null
}

export function stateTag(kind, code) {
  const s = (KINDS[kind]?.states || []).find((x) => x[0] === code)
  return s ? s[2] : 'info'
}

// Label of an enum value of a kind (the code itself when unknown).
export function valueLabel(kind, field, code) {
  if (code === null || code === undefined || code === '') return ''
  const t = KINDS[kind]?.values?.[field]
  return (t && t[code]) || String(code)
}

export function detailPath(kind, id) {
  return `${(KINDS[kind] || KINDS.reconsideration).path}/${id}`
}

export const PARTY_ROLES = {
  applicant: '申请人',
  respondent: '被申请人',
  third_party: '第三人',
  agent: '代理人',
  plaintiff: '原告',
  defendant: '被告',
}

export const PARTY_TYPES = {
  person: '自然人',
  legal_person: '法人或其他组织',
  org: '本系统机关',
}

// Deadline urgency as the server computes it (3 days = due soon).
export const URGENCY = {
  overdue: { label: '已逾期', type: 'danger', order: 0 },
  due_soon: { label: '即将到期', type: 'warning', order: 1 },
  ok: { label: '期限内', type: 'success', order: 2 },
  paused: { label: '已中止计算', type: 'info', order: 3 },
}

export const DEADLINE_STATUS = {
  open: '进行中',
  met: '已完成',
  cancelled: '已取消',
}

export function daysLeftText(d) {
  if (d.urgency === 'paused' || d.days_left === undefined || d.days_left === null) return '—'
  if (d.days_left < 0) return `逾期 ${-d.days_left} 天`
  if (d.days_left === 0) return '今天到期'
  return `剩 ${d.days_left} 天`
}

// Overdue first (the longest overdue on top), then due soon, then the rest.
export function byUrgency(a, b) {
  const ua = (URGENCY[a.urgency] || URGENCY.ok).order
  const ub = (URGENCY[b.urgency] || URGENCY.ok).order
  if (ua !== ub) return ua - ub
  return (a.days_left ?? 1e9) - (b.days_left ?? 1e9) || String(a.due_date).localeCompare(String(b.due_date))
}

// Timeline actions: the server gives each event its own text (detail); this
// names the create event and any action code it does not describe.
export const EVENT_NAMES = { create: '登记' }

export function isDateField(f) {
  return f.name === 'date' || /_date$/.test(f.name)
}

export function fmtYuan(v) {
  if (v === null || v === undefined || v === '') return '—'
  return Number(v).toLocaleString('zh-CN')
}

export function fmtSize(n) {
  if (n === null || n === undefined) return '—'
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
