import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, session } from 'electron'
import { encodeEvent } from '../src-preload/contract/server'
import { createLogger, stderrSink } from './common/logger'
import { AppCore } from './core/app-core'
import { SettingsStore } from './core/settings/settings-store'
import { SealedFileVault } from './core/vault/sealed-file-vault'
import { applyDictationSupport } from './electron/accessibility'
import { bindIpc } from './electron/ipc-main'
import { safeStorageSeal } from './electron/safe-storage-seal'
import { hardenSession, hardenWebContents } from './electron/security'
import {
  seedShippedDictionaries,
  startOfflineSpellcheck,
  type OfflineSpellcheck,
} from './electron/spellcheck'
import { createTrustedUrlCheck } from './electron/trusted-url'
import { createMainWindow } from './electron/window'
import { connectionFromEnv, openWorkstation, type Workstation } from './workstation/open-workstation'

// Composition root: build the services, bind them to Electron, open the window. Nothing else here.
const logger = createLogger('main', { sink: stderrSink })
const rendererDir = join(__dirname, '../renderer')
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
const isTrustedUrl = createTrustedUrlCheck(rendererDir, devServerUrl)
const ourWindows = new Map<number, BrowserWindow>()
let workstation: Workstation | undefined
let spellcheck: OfflineSpellcheck | undefined
// Packaged: electron-builder's extraResources; in development: the checkout's resources/.
const resourcesDir = app.isPackaged
  ? join(process.resourcesPath, 'resources')
  : join(app.getAppPath(), 'resources')

// Dictation tools find text fields through the accessibility tree, which Chromium builds only when
// it detects assistive technology; force it on until the settings say (applyDictationSupport).
app.setAccessibilitySupportEnabled(true)
// Before the session exists, so Chromium's checker finds its dictionaries and never asks the CDN.
seedShippedDictionaries(
  resourcesDir,
  () => join(app.getPath('sessionData'), 'Dictionaries'),
  process.platform,
  logger.child('spellcheck'),
)
// One instance per user: the outbox is locked by the first, and a second would only fail to open it.
const isFirstInstance = app.requestSingleInstanceLock()
if (!isFirstInstance) app.quit()

// Every web contents, ours or any other Electron creates, refuses navigation away, new windows and
// webviews: registered before the first window exists, so none is ever unguarded.
app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, isTrustedUrl, logger.child('security'))
})

async function start(): Promise<void> {
  hardenSession(session.defaultSession, logger.child('security'))
  const seal = await safeStorageSeal(logger.child('vault'))
  const userData = app.getPath('userData')
  const dataDir = process.env['QUBS_DATA_DIR'] || join(userData, 'data')
  const vault = new SealedFileVault(join(userData, 'vault.json'), seal)
  const configured = connectionFromEnv(process.env) !== null
  const weak = seal.strength === 'weak' || (configured && (await vault.dataKeyStrength()) === 'weak')
  if (configured && weak && process.env['QUBS_ALLOW_WEAK_KEYSTORE'] !== '1') {
    // Patient data under a well-known password is not protected: refuse rather than pretend.
    throw new Error(
      'patient data would be protected only by a well-known password (no OS keyring now, or none when the key was made); set QUBS_ALLOW_WEAK_KEYSTORE=1 to override',
    )
  }
  workstation = await openWorkstation({ dataDir, vault, logger, env: process.env })
  const settings = await SettingsStore.open({ filePath: join(userData, 'settings.json'), logger })
  applyDictationSupport(app, settings)
  spellcheck = await startOfflineSpellcheck({
    session: session.defaultSession,
    settings,
    platform: process.platform,
    resourcesDir,
    logger: logger.child('spellcheck'),
  })
  const core = new AppCore({
    name: app.getName(),
    version: app.getVersion(),
    mode: workstation.mode,
    runtime: {
      node: process.versions.node,
      electron: process.versions.electron,
      chrome: process.versions.chrome,
    },
    logger: logger.child('core'),
    services: workstation.services,
    vault,
    settings,
    emit: (event, payload) => {
      const { channel, payload: checked } = encodeEvent(event, payload)
      for (const window of ourWindows.values()) window.webContents.send(channel, checked)
    },
  })
  bindIpc({
    ipcMain,
    impl: core,
    logger: logger.child('ipc'),
    isTrustedUrl,
    isOurWebContents: (contents) => ourWindows.has(contents.id),
  })
  openWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow()
  })
}

function openWindow(): void {
  const window = createMainWindow({
    preloadPath: join(__dirname, '../preload/index.cjs'),
    devServerUrl,
    rendererDir,
    isTrustedUrl,
    logger: logger.child('window'),
  })
  const id = window.webContents.id
  ourWindows.set(id, window)
  window.on('closed', () => ourWindows.delete(id))
}

void app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    logger.error('start-up failed', { error })
    process.stderr.write(
      `QUBS Reporter could not start: ${error instanceof Error ? error.message : 'unknown error'}\n`,
    )
    app.exit(1)
  })

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows()
  if (window) {
    if (window.isMinimized()) window.restore()
    window.focus()
  }
})

// Closing the services stops the sync engine so in-flight entries stay `sending` for the next start.
let closing = false
app.on('will-quit', (event) => {
  if (closing || !workstation) return
  closing = true
  event.preventDefault()
  void Promise.allSettled([workstation.close(), spellcheck?.close()]).finally(() => app.quit())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
