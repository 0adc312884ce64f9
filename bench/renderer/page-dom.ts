/**
 * The few page globals the benchmark's page functions touch, typed for the node project (which has no
 * DOM types). Page functions cast `globalThis` to this inside their body: they are serialized into the
 * page, so they cannot call helpers from here. Functions, not strings: the app's CSP forbids eval, and
 * Playwright evaluates a string predicate with `new Function` in the page.
 */
export interface PageElement {
  getAttribute(name: string): string | null
  focus(): void
  readonly value: string
  setSelectionRange(start: number, end: number): void
}

export interface PageGlobals {
  readonly document: {
    querySelector(selector: string): PageElement | null
    querySelectorAll(selector: string): { readonly length: number }
  }
  readonly performance: { now(): number }
  readonly __qubsBench: { arm(spec: unknown): void; done(): Promise<number> }
}
