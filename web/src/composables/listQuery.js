// A list screen's filters, paging and rows, with filters and paging kept in
// the page URL (so 返回 from a detail page comes back to the same list).
// `defaults` names the filters and their types: '' a string, null or a number
// a number (org ids, years), false a switch (sent as 1). A filter at its
// default is left out of the URL. `source` fetches one page (see useRows);
// rows, loading, the total and error messages are kept here.
import { onMounted, reactive, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useRows } from './rows'

// The page sizes offered by ListPager unless a screen names others.
export const PAGE_SIZES = [10, 20, 50, 100]
const PAGE_SIZE = 20

function isEmpty(v) {
  return v === null || v === undefined || v === '' || v === false
}

// Two URL queries alike whatever their key order.
function sameQuery(a, b) {
  const norm = (q) => JSON.stringify(Object.keys(q).sort().map((k) => [k, String(q[k])]))
  return norm(a) === norm(b)
}

// opts.paged: false for a list the server sends whole (no page parameters);
// opts.sizes: the page sizes a URL may ask for (ListPager offers the same).
export function useListQuery(defaults, source, opts = {}) {
  const { paged = true, sizes = PAGE_SIZES } = opts
  const route = useRoute()
  const router = useRouter()
  const name = route.name
  const filters = reactive({ ...defaults })
  const { rows, total, loading, load } = useRows(source)
  const paging = reactive({ page: 1, page_size: PAGE_SIZE, total, sizes })

  function fromRoute() {
    const q = route.query
    for (const [key, d] of Object.entries(defaults)) {
      const v = q[key]
      if (v === undefined || v === '') filters[key] = d
      else if (typeof d === 'boolean') filters[key] = v === '1'
      else if (d === null || typeof d === 'number') filters[key] = Number.isFinite(Number(v)) ? Number(v) : d
      else filters[key] = String(v)
    }
    paging.page = Number(q.page) > 0 ? Math.floor(Number(q.page)) : 1
    paging.page_size = sizes.includes(Number(q.page_size)) ? Number(q.page_size) : PAGE_SIZE
  }

  // The filters as API query parameters (empty ones left out).
  function query() {
    const out = {}
    for (const [key, v] of Object.entries(filters)) {
      const t = typeof v === 'string' ? v.trim() : v
      if (!isEmpty(t)) out[key] = t === true ? 1 : t
    }
    return out
  }

  function run() {
    return load(paged ? { ...query(), page: paging.page, page_size: paging.page_size } : query())
  }

  // Put the state into the URL; the route watcher loads the list.
  function navigate() {
    const q = {}
    for (const [key, v] of Object.entries(query())) if (v !== defaults[key]) q[key] = v
    if (paging.page > 1) q.page = paging.page
    if (paging.page_size !== PAGE_SIZE) q.page_size = paging.page_size
    if (sameQuery(q, route.query)) run()
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

  function setPage(page) {
    paging.page = page
    navigate()
  }

  function setSize(size) {
    paging.page_size = size
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

  return { filters, paging, rows, loading, query, navigate, search, reset, reload: run, setPage, setSize }
}

// The years a list can be filtered by: this year and the nine before it.
export function recentYears() {
  const y = new Date().getFullYear()
  return Array.from({ length: 10 }, (_, i) => y - i)
}
