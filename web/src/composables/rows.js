// The rows of a list screen and their loading state: `source(params)` fetches
// ({ items, total }) as the API lists reply; a failure shows the server's
// Chinese message (showError) and keeps the rows shown. Only the newest
// request fills the rows, so a slow reply cannot overwrite a newer one.
import { ref } from 'vue'
import { api } from '../api/http'
import { showError } from '../utils/feedback'

// `source`: an API path (GET with the params) or a function returning a promise.
export function useRows(source) {
  const fetch = typeof source === 'string' ? (params) => api.get(source, params) : source
  const rows = ref([])
  const total = ref(0)
  const loading = ref(false)
  let seq = 0

  async function load(params) {
    const mine = ++seq
    loading.value = true
    try {
      const data = await fetch(params)
      if (mine !== seq) return null
      rows.value = (data && data.items) || []
      total.value = data && typeof data.total === 'number' ? data.total : rows.value.length
      return data
    } catch (e) {
      if (mine === seq) showError(e)
      return null
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return { rows, total, loading, load }
}
