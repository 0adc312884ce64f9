/** The settings screen; every value is kept by main (`getSettings` / `updateSettings`). */
export { SettingsScreen } from './SettingsScreen'
