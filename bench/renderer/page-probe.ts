/**
 * The in-page half of the renderer timings, installed into the page as a script (the node project has
 * no DOM types, so it is kept as source text). One measurement at a time:
 *
 *   arm(start, condition): t0 = performance.now() at the next trusted `start` event (keydown, click)
 *   seen in the capture phase at the window — the moment the browser hands the page the input CDP sent;
 *   then every DOM mutation re-checks `condition`; once it holds (React has committed the change), the
 *   next requestAnimationFrame callback posts a message, and t1 is taken when that message arrives —
 *   after the frame that shows the change was produced. done() resolves with t1 − t0 (or rejects after
 *   the timeout).
 *
 * Conditions: `attr` — the first element matching `selector` has `attribute` with a value other than
 * the one it had at arm time (and other than `ignore`); `input` — an `input` event reached `selector`.
 */
export const PAGE_PROBE = `
(() => {
  if (window.__qubsBench) return
  let current = null
  let busy = false
  const frameThenMessage = (resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => resolve(performance.now())
      channel.port2.postMessage(0)
    })
  }
  window.__qubsBench = {
    arm(spec) {
      if (busy) throw new Error('a measurement is already armed')
      busy = true
      const attrOf = () => document.querySelector(spec.selector)?.getAttribute(spec.attribute) ?? null
      const initial = spec.kind === 'attr' ? attrOf() : null
      let t0 = null
      let settled = false
      let resolveDone, rejectDone
      const done = new Promise((res, rej) => { resolveDone = res; rejectDone = rej })
      const cleanups = []
      const finish = (error, value) => {
        if (settled) return
        settled = true
        for (const c of cleanups) c()
        busy = false
        error ? rejectDone(error) : resolveDone(value)
      }
      const met = () => {
        if (t0 === null) return
        for (const c of cleanups.splice(1)) c()
        frameThenMessage((t1) => finish(null, t1 - t0))
      }
      const onStart = (event) => {
        if (!event.isTrusted || t0 !== null) return
        t0 = performance.now()
        if (spec.kind === 'attr') check()
      }
      window.addEventListener(spec.start, onStart, { capture: true })
      cleanups.push(() => window.removeEventListener(spec.start, onStart, { capture: true }))
      const check = () => {
        if (t0 === null) return
        const value = attrOf()
        if (value !== null && value !== initial && value !== (spec.ignore ?? null)) met()
      }
      if (spec.kind === 'attr') {
        const observer = new MutationObserver(check)
        observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: [spec.attribute] })
        cleanups.push(() => observer.disconnect())
      } else {
        const onInput = (event) => { if (event.target instanceof Element && event.target.matches(spec.selector)) met() }
        document.addEventListener('input', onInput, { capture: true })
        cleanups.push(() => document.removeEventListener('input', onInput, { capture: true }))
      }
      const timer = setTimeout(() => finish(new Error('no change within ' + spec.timeoutMs + ' ms')), spec.timeoutMs)
      cleanups.push(() => clearTimeout(timer))
      current = done
    },
    // The last measurement armed (it may have settled before the caller asks).
    done() {
      if (!current) return Promise.reject(new Error('nothing armed'))
      const settled = current
      current = null
      return settled
    },
  }
})()
`

export type ProbeSpec =
  | {
      readonly kind: 'attr'
      readonly start: 'keydown' | 'click'
      readonly selector: string
      readonly attribute: string
      readonly ignore?: string
      readonly timeoutMs: number
    }
  | {
      readonly kind: 'input'
      readonly start: 'keydown'
      readonly selector: string
      readonly timeoutMs: number
    }
