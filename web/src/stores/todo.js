// 待办: open statutory deadlines due within 7 days (or overdue) of the cases
// the user may see, from GET /api/v1/deadlines?within=7. The top-bar badge
// counts the overdue and due-soon ones; the dropdown and the 到期提醒 page
// list them by urgency. Reloaded on sign-in, after case actions and every
// few minutes.
import { computed, reactive } from 'vue'
import { api } from '../api/http'
import { canAny } from './session'
import { byUrgency } from '../utils/cases'

export const TODO_PERMS = ['reconsideration.read', 'litigation.read']
export const TODO_WITHIN = 7

export const todo = reactive({
  loaded: false,
  loading: false,
  items: [],
  error: '',
})

export const todoSorted = computed(() => [...todo.items].sort(byUrgency))
export const todoCount = computed(() => todo.items.filter((d) => d.urgency === 'overdue' || d.urgency === 'due_soon').length)

let pending = null

export function loadTodo() {
  if (!canAny(TODO_PERMS)) {
    todo.items = []
    todo.loaded = false
    return Promise.resolve()
  }
  if (pending) return pending
  todo.loading = true
  pending = api
    .get('/api/v1/deadlines', { within: TODO_WITHIN })
    .then((data) => {
      todo.items = data.items || []
      todo.loaded = true
      todo.error = ''
    })
    .catch((e) => {
      todo.error = e.message
    })
    .finally(() => {
      todo.loading = false
      pending = null
    })
  return pending
}
