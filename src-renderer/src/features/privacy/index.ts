export { WipeDialog } from './WipeDialog'
