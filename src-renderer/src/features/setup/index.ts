/** First run and the connection form (also used by the settings screen). */
export { ConnectionForm, ConnectionTestResult } from './ConnectionForm'
export { WelcomeScreen } from './WelcomeScreen'
export { needsFirstRun, useSetupStore } from './setup-store'
