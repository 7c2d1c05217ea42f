// The one API client: fetch with the session cookie, JSON bodies, the CSRF
// token on every write, and the server's error shape turned into ApiError
// (code, Chinese message, details). A 401 sends the user to /login; a 403
// PASSWORD_CHANGE_REQUIRED to the change-password page (handlers set in main.js).

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || '请求失败')
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details || null
  }

  // Per-field messages of a VALIDATION_FAILED reply ({} when there are none).
  get fields() {
    return (this.details && this.details.fields) || {}
  }
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
let csrfToken = ''
const handlers = { unauthenticated: null, passwordChange: null }

export function setCsrf(token) {
  csrfToken = token || ''
}

export function onUnauthenticated(fn) {
  handlers.unauthenticated = fn
}

export function onPasswordChangeRequired(fn) {
  handlers.passwordChange = fn
}

function buildUrl(path, query) {
  if (!query) return path
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') qs.append(k, String(v))
  }
  const s = qs.toString()
  return s ? `${path}?${s}` : path
}

/*
 * request('GET', '/api/v1/users', { query: { page: 1 } })
 * request('POST', '/api/v1/orgs', { body: {...} })
 * Options: quiet401 — do not redirect on 401 (the login form itself).
 */
export async function request(method, path, { query, body, quiet401 = false } = {}) {
  const headers = { Accept: 'application/json' }
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (WRITE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let res
  try {
    res = await fetch(buildUrl(path, query), init)
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器,请检查网络后重试')
  }

  let data = null
  const type = res.headers.get('Content-Type') || ''
  if (res.status !== 204 && type.includes('application/json')) {
    try {
      data = await res.json()
    } catch {
      data = null
    }
  }
  if (res.ok) return data
  throw failure(res.status, data, quiet401)
}

// The ApiError of a failed reply; a 401 or a demanded password change also
// tells the app (which moves the user to the right page).
function failure(status, data, quiet401) {
  const e = (data && data.error) || {}
  const err = new ApiError(status, e.code || `HTTP_${status}`, e.message || defaultMessage(status), e.details)
  if (status === 401 && !quiet401 && handlers.unauthenticated) handlers.unauthenticated(err)
  if (err.code === 'PASSWORD_CHANGE_REQUIRED' && handlers.passwordChange) handlers.passwordChange(err)
  return err
}

// A URL with its query string, for links and downloads (same rules as request()).
export function apiUrl(path, query) {
  return buildUrl(path, query)
}

/*
 * Upload a file as the raw request body (the server's upload routes take
 * the bytes as they are; the name goes in the query). XMLHttpRequest rather
 * than fetch because only it reports upload progress: onProgress(0..100).
 */
export function upload(path, file, { query, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', buildUrl(path, query))
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream')
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken)
    if (onProgress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(Math.min(100, Math.round((e.loaded * 100) / e.total)))
      }
    }
    xhr.onload = () => {
      let data = null
      if ((xhr.getResponseHeader('Content-Type') || '').includes('application/json')) {
        try {
          data = JSON.parse(xhr.responseText)
        } catch {
          data = null
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data)
      else reject(failure(xhr.status, data, false))
    }
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '无法连接服务器,请检查网络后重试'))
    xhr.send(file)
  })
}

// Let the browser download a GET endpoint (its own download handling and
// file name from Content-Disposition): a hidden link, clicked once.
export function download(path, query) {
  const a = document.createElement('a')
  a.href = buildUrl(path, query)
  a.setAttribute('download', '')
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  document.body.removeChild(a)
}

function defaultMessage(status) {
  if (status === 404) return '请求的资源不存在'
  if (status === 413) return '提交的内容过大'
  if (status === 429) return '请求过于频繁,请稍后重试'
  if (status >= 500) return '服务器暂时无法处理请求,请稍后重试'
  return `请求失败(${status})`
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body) => request('POST', path, { body: body ?? {} }),
  put: (path, body) => request('PUT', path, { body: body ?? {} }),
  patch: (path, body) => request('PATCH', path, { body: body ?? {} }),
  del: (path) => request('DELETE', path),
}
