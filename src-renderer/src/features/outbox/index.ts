export { OutboxPanel, stateText } from './OutboxPanel'
export { useOutboxStore, isWaiting } from './outbox-store'
