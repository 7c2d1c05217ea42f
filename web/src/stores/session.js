// Who is signed in: the reply of POST/GET /api/v1/session. A plain reactive
// object; the server decides everything, this only mirrors it for the UI.
import { reactive } from 'vue'
import { request, setCsrf } from '../api/http'

// A hint, not a secret: whether this browser believes it has a session, so a
// first visit goes straight to /login without a 401 round trip.
const HINT = 'fazhi.signedIn'

export const session = reactive({
  loaded: false,
  user: null,
  permissions: [],
  scope: '',
  mustChangePassword: false,
})

function apply(reply) {
  session.user = reply.user
  session.permissions = reply.permissions || []
  session.scope = reply.scope || ''
  session.mustChangePassword = !!reply.must_change_password
  if (reply.csrf) setCsrf(reply.csrf)
  session.loaded = true
  try {
    localStorage.setItem(HINT, '1')
  } catch {
    /* storage may be off; the hint is optional */
  }
}

export function clearSession() {
  session.user = null
  session.permissions = []
  session.scope = ''
  session.mustChangePassword = false
  session.loaded = true
  setCsrf('')
  try {
    localStorage.removeItem(HINT)
  } catch {
    /* ignore */
  }
}

function hinted() {
  try {
    return localStorage.getItem(HINT) === '1'
  } catch {
    return true
  }
}

// Load the session once (on the first navigation); null when signed out.
export async function ensureSession() {
  if (session.loaded) return session.user
  if (!hinted()) {
    clearSession()
    return null
  }
  try {
    apply(await request('GET', '/api/v1/session', { quiet401: true }))
  } catch (e) {
    if (e.status === 401) clearSession()
    else throw e
  }
  return session.user
}

export async function login(username, password) {
  const reply = await request('POST', '/api/v1/session', { body: { username, password }, quiet401: true })
  apply(reply)
  return reply
}

export async function logout() {
  try {
    await request('DELETE', '/api/v1/session', { quiet401: true })
  } finally {
    clearSession()
  }
}

export async function changePassword(oldPassword, newPassword) {
  const reply = await request('PUT', '/api/v1/session/password', {
    body: { old_password: oldPassword, new_password: newPassword },
  })
  apply(reply)
  return reply
}

export function can(perm) {
  return session.permissions.includes(perm)
}

export function canAny(perms) {
  return !perms || perms.length === 0 || perms.some((p) => session.permissions.includes(p))
}
