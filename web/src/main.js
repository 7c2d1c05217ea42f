import { createApp } from 'vue'
import { ElMessage, vLoading } from 'element-plus'
import 'element-plus/dist/index.css'
import 'dayjs/locale/zh-cn'
import './styles/index.css'

import App from './App.vue'
import router from './router'
import { onUnauthenticated, onPasswordChangeRequired } from './api/http'
import { clearSession, session } from './stores/session'

let redirecting = false

// Session ended on the server (idle timeout, logged out elsewhere, roles changed).
onUnauthenticated(() => {
  const current = router.currentRoute.value
  clearSession()
  if (current.name === 'login' || redirecting) return
  redirecting = true
  ElMessage({ type: 'warning', message: '登录已失效,请重新登录', grouping: true })
  router.replace({ name: 'login', query: { redirect: current.fullPath } }).finally(() => {
    redirecting = false
  })
})

onPasswordChangeRequired(() => {
  session.mustChangePassword = true
  if (router.currentRoute.value.name !== 'password') router.replace({ name: 'password' })
})

createApp(App).use(router).directive('loading', vLoading).mount('#app')
