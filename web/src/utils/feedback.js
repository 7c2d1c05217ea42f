// Showing server errors: always the Chinese message, never raw JSON.
import { ElMessage } from 'element-plus'

export function showError(err, fallback = '操作失败') {
  // A 401 already moved the user to the login page.
  if (err && err.status === 401 && err.code === 'UNAUTHENTICATED') return
  const msg = (err && err.message) || fallback
  ElMessage({ type: 'error', message: msg, grouping: true, showClose: true, duration: 5000 })
}

export function showSuccess(msg) {
  ElMessage({ type: 'success', message: msg, grouping: true })
}

/*
 * Put a VALIDATION_FAILED reply's details.fields into `target` (a reactive
 * object bound to the form items' :error). Messages for fields the form
 * does not show, or errors without fields, go to a toast. Returns true when
 * at least one field message was placed.
 */
export function applyFieldErrors(err, target, known) {
  for (const k of Object.keys(target)) delete target[k]
  const fields = (err && err.details && err.details.fields) || {}
  let placed = false
  const rest = []
  for (const [name, msg] of Object.entries(fields)) {
    if (!known || known.includes(name)) {
      target[name] = msg
      placed = true
    } else {
      rest.push(msg)
    }
  }
  if (!placed) showError(err)
  else if (rest.length) showError({ message: rest.join(';') })
  return placed
}

export function clearErrors(target) {
  for (const k of Object.keys(target)) delete target[k]
}

// Copy text; navigator.clipboard needs a secure context, so fall back to execCommand.
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    /* fall back below */
  }
  const ta = document.createElement('textarea')
  ta.value = text
  ta.setAttribute('readonly', '')
  ta.style.position = 'fixed'
  ta.style.opacity = '0'
  document.body.appendChild(ta)
  ta.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  document.body.removeChild(ta)
  return ok
}
