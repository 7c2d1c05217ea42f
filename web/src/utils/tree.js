// Build the org tree from the flat list the API returns (parent_id), children
// ordered by sort_order, then id. Orgs whose parent is not in the list (the
// top of a user's data scope) become roots.
export function buildTree(items) {
  const byId = new Map()
  for (const o of items) byId.set(o.id, { ...o, children: [] })
  const roots = []
  for (const node of byId.values()) {
    const parent = node.parent_id != null ? byId.get(node.parent_id) : null
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const order = (a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0) || a.id - b.id
  const sortRec = (list) => {
    list.sort(order)
    for (const n of list) {
      if (n.children.length) sortRec(n.children)
      else delete n.children
    }
  }
  sortRec(roots)
  return roots
}

// Depth-first walk.
export function walk(nodes, fn, parent = null) {
  for (const n of nodes || []) {
    fn(n, parent)
    walk(n.children, fn, n)
  }
}

// Keep nodes that match, with their ancestors; matching nodes keep all their children.
export function filterTree(nodes, match) {
  const out = []
  for (const n of nodes || []) {
    if (match(n)) {
      out.push(n)
      continue
    }
    const kids = filterTree(n.children, match)
    if (kids.length) out.push({ ...n, children: kids })
  }
  return out
}

// Ids of a node and all its descendants.
export function subtreeIds(node) {
  const ids = new Set()
  walk([node], (n) => ids.add(n.id))
  return ids
}
