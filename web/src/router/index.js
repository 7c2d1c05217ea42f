// Client routes (history mode; fazhi serves index.html for paths without an
// extension). Every screen is its own lazily loaded chunk. meta.perms: any
// one of these permissions opens the screen (the server checks again).
import { createRouter, createWebHistory } from 'vue-router'
import { ensureSession, clearSession, canAny, session } from '../stores/session'
import { showError } from '../utils/feedback'
import { KINDS } from '../utils/cases'

export const SYSTEM_GROUP = '系统管理'
export const LITIGATION_GROUP = '行政应诉'
export const LEGAL_GROUP = '法制审核'
const CASE_READ = ['reconsideration.read', 'litigation.read']

// List, create form and detail of one case kind (utils/cases.js KINDS).
// opts.list / opts.create: the kind's own list and create screens (the legal
// lines); opts.create === null: no create page (created elsewhere).
function caseRoutes(kind, base, title, icon, group, opts = {}) {
  const k = KINDS[kind]
  const parent = { title, to: '/' + base }
  const out = [
    {
      path: base,
      name: `${kind}-list`,
      component: opts.list || (() => import('../views/cases/CaseList.vue')),
      props: { kind },
      meta: { title, icon, group, perms: [k.readPerm], menu: true },
    },
    {
      path: `${base}/new`,
      name: `${kind}-create`,
      component: opts.create || (() => import('../views/cases/CaseCreate.vue')),
      props: { kind },
      meta: { title: k.createTitle, group, perms: k.createPerms || [k.handlePerm], parent, menuPath: '/' + base },
    },
    {
      path: `${base}/:id(\\d+)`,
      name: `${kind}-detail`,
      component: () => import('../views/cases/CaseDetail.vue'),
      props: (r) => ({ kind, id: Number(r.params.id) }),
      meta: { title: opts.detailTitle || '案件详情', group, perms: [k.readPerm], parent, menuPath: '/' + base },
    },
  ]
  return opts.create === null ? out.filter((r) => r.name !== `${kind}-create`) : out
}

const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../views/Login.vue'),
    meta: { title: '登录', public: true },
  },
  {
    path: '/password',
    name: 'password',
    component: () => import('../views/ChangePassword.vue'),
    meta: { title: '修改密码' },
  },
  {
    path: '/',
    component: () => import('../layout/Layout.vue'),
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('../views/Home.vue'),
        meta: { title: '首页', icon: 'HomeFilled', menu: true },
      },
      {
        path: 'deadlines',
        name: 'deadlines',
        component: () => import('../views/deadlines/DeadlineList.vue'),
        meta: { title: '到期提醒', icon: 'Bell', perms: CASE_READ, menu: true },
      },
      ...caseRoutes('reconsideration', 'reconsiderations', '行政复议', 'Stamp', null),
      ...caseRoutes('litigation', 'litigations', '应诉案件', 'Briefcase', LITIGATION_GROUP),
      ...caseRoutes('enforcement_application', 'enforcements', '非诉执行申请', 'Tickets', LITIGATION_GROUP),
      ...caseRoutes('review', 'reviews', '合法性审查', 'Checked', LEGAL_GROUP, {
        list: () => import('../views/legal/ReviewList.vue'),
        create: () => import('../views/legal/ReviewCreate.vue'),
        detailTitle: '审查详情',
      }),
      ...caseRoutes('normdoc', 'normdocs', '规范性文件', 'Files', LEGAL_GROUP, {
        list: () => import('../views/legal/NormdocList.vue'),
        create: () => import('../views/legal/NormdocCreate.vue'),
        detailTitle: '文件详情',
      }),
      {
        path: 'normdoc-cleanups',
        name: 'normdoc-cleanups',
        component: () => import('../views/legal/CleanupList.vue'),
        meta: { title: '文件清理', icon: 'Finished', group: LEGAL_GROUP, perms: ['normdocs.read'], menu: true },
      },
      {
        path: 'normdoc-cleanups/:id(\\d+)',
        name: 'normdoc-cleanup',
        component: () => import('../views/legal/CleanupDetail.vue'),
        props: (r) => ({ id: Number(r.params.id) }),
        meta: {
          title: '清理详情',
          group: LEGAL_GROUP,
          perms: ['normdocs.read'],
          parent: { title: '文件清理', to: '/normdoc-cleanups' },
          menuPath: '/normdoc-cleanups',
        },
      },
      ...caseRoutes('decision', 'decisions', '重大行政决策', 'Memo', LEGAL_GROUP, {
        list: () => import('../views/legal/DecisionCatalogue.vue'),
        create: null,
        detailTitle: '决策详情',
      }),
      {
        path: 'ledger',
        name: 'ledger',
        component: () => import('../views/ledger/LedgerList.vue'),
        meta: { title: '工作台账', icon: 'Notebook', perms: ['ledger.read', 'ledger.manage'], menu: true },
      },
      {
        path: 'reports',
        name: 'reports',
        component: () => import('../views/reports/ReportList.vue'),
        meta: { title: '年度报告', icon: 'DocumentCopy', perms: ['report.read'], menu: true },
      },
      {
        path: 'reports/:id(\\d+)',
        name: 'report-edit',
        component: () => import('../views/reports/ReportEditor.vue'),
        props: (r) => ({ id: Number(r.params.id) }),
        meta: { title: '编辑报告', perms: ['report.read'], parent: { title: '年度报告', to: '/reports' }, menuPath: '/reports' },
      },
      {
        path: 'import',
        name: 'import',
        component: () => import('../views/import/ImportPage.vue'),
        meta: { title: '历史台账导入', icon: 'Upload', perms: ['reconsideration.handle', 'litigation.handle'], menu: true },
      },
      {
        path: 'orgs',
        name: 'orgs',
        component: () => import('../views/orgs/OrgList.vue'),
        meta: { title: '组织机构', icon: 'OfficeBuilding', group: SYSTEM_GROUP, perms: ['org.read', 'org.manage'], menu: true },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('../views/users/UserList.vue'),
        meta: { title: '用户管理', icon: 'User', group: SYSTEM_GROUP, perms: ['user.read', 'user.manage'], menu: true },
      },
      {
        path: 'roles',
        name: 'roles',
        component: () => import('../views/roles/RoleList.vue'),
        meta: { title: '角色管理', icon: 'Avatar', group: SYSTEM_GROUP, perms: ['role.read', 'role.manage'], menu: true },
      },
      {
        path: 'security',
        name: 'security',
        component: () => import('../views/security/SecurityPolicy.vue'),
        meta: { title: '安全策略', icon: 'Lock', group: SYSTEM_GROUP, perms: ['security.manage'], menu: true },
      },
      {
        path: 'calendar',
        name: 'calendar',
        component: () => import('../views/calendar/CalendarPage.vue'),
        meta: { title: '节假日安排', icon: 'Calendar', group: SYSTEM_GROUP, perms: ['calendar.manage'], menu: true },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('../views/audit/AuditLog.vue'),
        meta: { title: '审计日志', icon: 'Document', group: SYSTEM_GROUP, perms: ['audit.read'], menu: true },
      },
      {
        path: '403',
        name: 'forbidden',
        component: () => import('../views/error/Forbidden.vue'),
        meta: { title: '无权访问' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'notfound',
        component: () => import('../views/error/NotFound.vue'),
        meta: { title: '页面不存在' },
      },
    ],
  },
]

const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

// Only same-site paths are followed after login (no open redirect).
export function safeRedirect(r) {
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/login') ? r : '/'
}

router.beforeEach(async (to) => {
  let user = null
  try {
    user = await ensureSession()
  } catch (e) {
    clearSession()
    showError(e)
  }
  if (to.meta.public) {
    if (user && to.name === 'login') return session.mustChangePassword ? { name: 'password' } : safeRedirect(to.query.redirect)
    return true
  }
  if (!user) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (session.mustChangePassword && to.name !== 'password') return { name: 'password' }
  if (to.meta.perms && !canAny(to.meta.perms)) return { name: 'forbidden' }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 法治工作平台` : '法治工作平台'
})

// A chunk that fails to load (new build deployed meanwhile): reload once.
router.onError((err, to) => {
  if (/Failed to fetch dynamically imported module|Importing a module script failed/.test(String(err && err.message))) {
    window.location.assign(to.fullPath)
  } else {
    showError(err, '页面加载失败')
  }
})

export default router
