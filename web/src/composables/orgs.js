// The org list of the user's data scope, as a flat list and a tree.
import { computed, ref } from 'vue'
import { api } from '../api/http'
import { buildTree } from '../utils/tree'
import { session } from '../stores/session'

export function useOrgs() {
  const items = ref([])
  const loading = ref(false)
  const tree = computed(() => buildTree(items.value))
  const activeTree = computed(() => buildTree(items.value.filter((o) => o.status === 'active')))
  const byId = computed(() => new Map(items.value.map((o) => [o.id, o])))

  async function load({ all = false } = {}) {
    loading.value = true
    try {
      const data = await api.get('/api/v1/orgs', all ? { status: 'all' } : undefined)
      items.value = data.items || []
    } finally {
      loading.value = false
    }
  }

  return { items, tree, activeTree, byId, loading, load }
}

let kindsCache = null
export async function loadOrgKinds() {
  if (!kindsCache) {
    const data = await api.get('/api/v1/org-kinds')
    kindsCache = data.items || []
  }
  return kindsCache
}

export const KIND_TAG = {
  government: 'danger',
  party: 'danger',
  justice_bureau: 'primary',
  department: 'primary',
  section: 'info',
  town: 'success',
  justice_office: 'warning',
  village: 'success',
  court: 'primary',
  other: 'info',
}

// One org list shared by the pickers of the business screens, loaded once
// and again after a minute (org changes are rare; OrgList keeps its own).
const shared = useOrgs()
let sharedAt = 0
let sharedUser = null
let sharedLoading = null

export function useSharedOrgs() {
  function ensure() {
    const user = session.user?.id ?? null
    if (user === sharedUser && Date.now() - sharedAt < 60000 && shared.items.value.length) return Promise.resolve()
    if (!sharedLoading) {
      sharedLoading = shared
        .load()
        .then(() => {
          sharedAt = Date.now()
          sharedUser = user
        })
        .finally(() => {
          sharedLoading = null
        })
    }
    return sharedLoading
  }
  return { ...shared, ensure }
}
