// Filters and paging of a list screen kept in the page URL (so 返回 from a
// detail page comes back to the same list), as CaseList does it. `defaults`
// names the filters: a null or number default makes a numeric filter (org
// ids, years), anything else a string. `load(query)` fetches one page.
import { onMounted, reactive, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'

export function useListQuery(defaults, load) {
  const route = useRoute()
  const router = useRouter()
  const name = route.name
  const filters = reactive({ ...defaults })
  const paging = reactive({ page: 1, page_size: 20, total: 0 })

  function fromRoute() {
    const q = route.query
    for (const [key, d] of Object.entries(defaults)) {
      const v = q[key]
      if (v === undefined || v === '') filters[key] = d
      else filters[key] = d === null || typeof d === 'number' ? Number(v) : String(v)
    }
    paging.page = Number(q.page) > 0 ? Number(q.page) : 1
  }

  // The filters as API query parameters (empty ones left out).
  function query() {
    const out = {}
    for (const [key, v] of Object.entries(filters)) {
      const t = typeof v === 'string' ? v.trim() : v
      if (t !== null && t !== undefined && t !== '') out[key] = t
    }
    return out
  }

  async function run() {
    const data = await load({ ...query(), page: paging.page, page_size: paging.page_size })
    paging.total = (data && data.total) || 0
  }

  function navigate() {
    const q = { ...query() }
    if (paging.page > 1) q.page = paging.page
    const want = JSON.stringify(Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)])))
    if (want === JSON.stringify({ ...route.query })) run()
    else router.replace({ query: q })
  }

  function search() {
    paging.page = 1
    navigate()
  }

  function reset() {
    Object.assign(filters, defaults)
    search()
  }

  watch(
    () => route.query,
    () => {
      if (route.name !== name) return
      fromRoute()
      run()
    },
  )
  onMounted(() => {
    fromRoute()
    run()
  })

  return { filters, paging, query, navigate, search, reset, reload: run }
}

// The years a list can be filtered by: this year and the nine before it.
export function recentYears() {
  const y = new Date().getFullYear()
  return Array.from({ length: 10 }, (_, i) => y - i)
}
